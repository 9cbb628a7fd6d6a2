"""Swedish places a candidate can live in: localities, districts, postcode areas, municipalities
and their FA-regions.

The data ships with the package (``data/``, built by ``tools/build_gazetteer.py``; credits in
``data/SOURCES.md``), so this module needs no database, network or shared checkout.
"""

from __future__ import annotations

import csv
import gzip
import heapq
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

_PACKAGE = "hansyn.tenants.localities"
ATTRIBUTION = ("Places and postcodes: GeoNames, geonames.org (CC BY 4.0). Districts (RegSO), "
               "municipalities and FA-regions: SCB (CC BY 4.0) and Tillväxtverket.")
"""Credit to show wherever the place data is shown (the GeoNames licence requires it)."""
EARTH_RADIUS_KM = 6371.0088

COMMUTE_MIN_KM = 10.0
COMMUTE_MAX_KM = 100.0
COMMUTE_STEP_KM = 5.0
COMMUTE_LABOUR_MARKET = 100_000
"""Inhabitants a default commute should reach: a labour market with a real choice of jobs."""
CITY_MIN_DISTRICTS = 20
"""RegSO areas a core municipality needs for its areas to count as a city's neighbourhoods."""
COMMUTE_ACROSS_CITY = 0.9
"""Share of the core city's districts a default commute reaches from inside the city."""
COMMUTE_INTO_CITY = 0.5
"""Share of the core city's districts it reaches from elsewhere in the FA-region."""

SEARCH_FUZZY_CUTOFF = 80.0
RESOLVE_FUZZY_CUTOFF = 85.0
_FUZZY_MIN_QUERY = 3
_RESOLVE_FUZZY_MIN_QUERY = 5

# Match tiers, best first.
_EXACT, _EXACT_ALTERNATE, _PREFIX, _PREFIX_ALTERNATE, _FUZZY = range(5)

_POSTCODE = re.compile(r"^\s*(?:se[- ]?)?(\d{3})\s?(\d{2})(?:\s+|$)", re.IGNORECASE)
_POSTCODE_PREFIX = re.compile(r"^\s*(?:se[- ]?)?(\d{1,3})(?:\s?(\d{1,2}))?\s*$", re.IGNORECASE)
_WITH_CONTEXT = re.compile(r"^(?P<name>[^(,]+?)\s*(?:\((?P<paren>[^)]*)\)|,(?P<comma>.*))\s*$")
_FOLD_TABLE = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d",
                             "ı": "i", "ŀ": "l"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
# Words that end hundreds of district names ("Vilhelmina östra", "Kiruna omland"): a name's
# trailing words are searchable ("Frölunda" finds "Västra Frölunda"), but not these alone.
_GENERIC_WORDS = frozenset({
    "norra", "sodra", "ostra", "vastra", "nordostra", "nordvastra", "sydostra", "sydvastra",
    "norr", "soder", "syd", "ost", "vast", "nordost", "nordvast", "sydost", "sydvast",
    "centrala", "centrum", "mellersta", "inre", "yttre", "omland", "omnejd", "landsbygd",
    "tatort", "stad",
})


def fold(text: str) -> str:
    """Comparable form of a place name: lowercase, no diacritics, punctuation as single spaces.

    "Västra Frölunda" → "vastra frolunda", "Upplands-Bro" → "upplands bro", "Malmø" → "malmo".
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD_TABLE))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", plain).strip()


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def municipality_title(name: str) -> str:
    """The municipality's name as Swedes write it: "Hylte kommun", "Göteborgs kommun"."""
    if name == "Falun":
        return "Falu kommun"
    if name[-1] in "aeiouyåäösxz":
        return f"{name} kommun"
    return f"{name}s kommun"


@cache
def municipality_forms(name: str) -> frozenset[str]:
    """Folded ways an import file may name a municipality: "Göteborg", "Göteborgs kommun",
    "Göteborg kommun", "Göteborgs stad"."""
    title = municipality_title(name)
    forms = (name, title, f"{name} kommun", title.removesuffix(" kommun") + " stad")
    return frozenset(fold(form) for form in forms)


@cache
def county_forms(county: str) -> frozenset[str]:
    """Folded ways to name a county: "Hallands län", "Halland", "Skåne län", "Skåne"."""
    land = county.removesuffix(" län")
    forms = (county, land, land.removesuffix("s"))
    return frozenset(fold(form) for form in forms)


@dataclass(frozen=True, slots=True)
class Municipality:
    kommunkod: str
    name: str
    county_code: str
    county: str
    lat: float
    lon: float
    fa_code: str
    fa_name: str

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class Place:
    """A place a candidate can pick as home.

    ``kind`` is "locality" (tätort, GeoNames), "district" (a part of a town: SCB's RegSO areas),
    "postcode" (a postcode area, named by its post town) or "municipality" (the whole kommun).
    """

    id: str
    name: str
    kind: str
    lat: float
    lon: float
    population: int | None
    kommunkod: str
    municipality: str
    county: str
    qualifier: str = ""
    """Tells apart same-named localities of one municipality ("norra", "södra", …)."""
    postcode: str = ""
    """Five digits, for a postcode area."""

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)

    @property
    def display_name(self) -> str:
        """A label unique among all places.

        "Hylte kommun" for a municipality; "Angered (Göteborg)" for a locality or a district
        ("Norra Biskopsgården (Göteborg)"), but just "Göteborg" for a locality named like its
        municipality; "Alunda (Östhammar, södra)" where one municipality has two localities of
        that name; "417 05 Göteborg" for a postcode area, as on an envelope.
        """
        if self.kind == "municipality":
            return municipality_title(self.name)
        if self.kind == "postcode":
            return f"{self.postcode[:3]} {self.postcode[3:]} {self.name}"
        if self.qualifier:
            return f"{self.name} ({self.municipality}, {self.qualifier})"
        if self.name == self.municipality:
            return self.name
        return f"{self.name} ({self.municipality})"


@dataclass(frozen=True, slots=True)
class _Key:
    text: str
    index: int
    exact_tier: int
    prefix_tier: int


class Gazetteer:
    """Lookup, autocomplete and commute defaults over a fixed set of places."""

    def __init__(self, municipalities: list[Municipality],
                 localities: list[tuple[Place, list[str]]],
                 postcodes: list[Place] | None = None) -> None:
        """``localities`` are named places (localities and districts) with their alternate
        names; ``postcodes`` are found by their digits only, never by their post town's name."""
        self._municipalities = {m.kommunkod: m for m in municipalities}
        self._fa_regions: dict[str, list[Municipality]] = defaultdict(list)
        for m in municipalities:
            self._fa_regions[m.fa_code].append(m)
        self._places: list[Place] = [p for p, _ in localities]
        self._places += [_municipality_place(m) for m in municipalities]
        self._by_id = {p.id: i for i, p in enumerate(self._places)}
        self._weights = _weights(self._places)
        self._order = [(-weight, place.kind != "locality", place.id)
                       for weight, place in zip(self._weights, self._places, strict=True)]
        self._keys = _index(self._places, _alternates(localities))
        self._key_texts = [k.text for k in self._keys]
        fuzzy_keys = [k for k in self._keys if k.exact_tier <= _EXACT_ALTERNATE]
        self._fuzzy = _Choices.of((k.text, k.index) for k in fuzzy_keys)
        self._truncated: dict[int, _Choices] = {}
        self._typed_names = [_typed(p.name) for p in self._places]
        self._by_display = {_typed(p.display_name): i for i, p in enumerate(self._places)}
        folded = Counter(fold(p.display_name) for p in self._places)
        self._by_folded_display = {fold(p.display_name): i for i, p in enumerate(self._places)
                                   if folded[fold(p.display_name)] == 1}
        self._commute_cache: dict[str, float] = {}
        self._core_cities = _core_cities(self._places, self._fa_regions)
        self._postcodes = sorted(postcodes or [], key=lambda p: p.postcode)
        self._postcode_keys = [p.postcode for p in self._postcodes]
        self._by_postcode = {p.id: p for p in self._postcodes}

    @classmethod
    def default(cls) -> Gazetteer:
        """The gazetteer of the data shipped with the package, loaded once."""
        return _default()

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)

    def municipalities(self) -> list[Municipality]:
        return list(self._municipalities.values())

    def get(self, place_id: str) -> Place | None:
        index = self._by_id.get(place_id)
        if index is None:
            return self._by_postcode.get(place_id)
        return self._places[index]

    def postcode(self, text: str) -> Place | None:
        """The postcode area of a five-digit postcode, with or without its space ("417 05")."""
        match = _POSTCODE.match(text)
        if match is None or text[match.end():].strip():
            return None
        return self._by_postcode.get("P" + match[1] + match[2])

    def postcodes(self) -> list[Place]:
        return list(self._postcodes)

    def municipality(self, kommunkod: str) -> Municipality | None:
        return self._municipalities.get(kommunkod)

    def fa_region_municipalities(self, fa_code: str) -> list[Municipality]:
        return list(self._fa_regions.get(fa_code, ()))

    def search(self, query: str, limit: int = 10) -> list[Place]:
        """Places for an autocomplete box, best first.

        Exact names beat prefixes, prefixes beat fuzzy (typo) matches, a place's own name beats
        its alternate names ("Gothenburg") and words inside it ("Frölunda"); within a tier larger
        places come first. Case and å/ä/ö do not matter ("vasteras" finds Västerås), but where
        they are typed they break ties ("Håbo" before "Habo").
        """
        q = fold(query)
        if not q or limit <= 0:
            return []
        digits = _POSTCODE_PREFIX.match(query)
        if digits:
            return self._postcodes_starting(digits[1] + (digits[2] or ""), limit)
        matches = self._prefix_matches(q)
        if len(matches) < limit and len(q) >= _FUZZY_MIN_QUERY:
            for index, score in self._fuzzy_matches(q, SEARCH_FUZZY_CUTOFF, limit).items():
                matches.setdefault(index, (_FUZZY, -score))
        typed = _typed(query)
        best = heapq.nsmallest(limit, matches, key=lambda i: (*matches[i], *self._rank(i, typed)))
        return [self._places[index] for index in best]

    def resolve(self, text: str) -> Place | None:
        """The one place free text from an import file means, or None if nothing is close enough.

        Accepts a display name ("Angered (Göteborg)"), "name, municipality", a postcode alone
        ("41705", "417 05") or before its post town ("417 05 Göteborg": that postcode area; a
        postcode not in the data is skipped and the name decides), "X kommun"/"X stad", alternate
        names and small typos; not prefixes.
        """
        postcode = _POSTCODE.match(text)
        if postcode:
            area = self._by_postcode.get("P" + postcode[1] + postcode[2])
            if area is not None:
                return area
            text = text[postcode.end():]
        q = fold(text)
        if not q:
            return None
        typed = _typed(text)
        if typed in self._by_display:
            return self._places[self._by_display[typed]]
        context = _WITH_CONTEXT.match(text)
        if context:
            within = fold(context["paren"] or context["comma"])
            name = context["name"]
            found = self._best(self._exact_matches(fold(name), within), _typed(name))
            if found:
                return found
        found = self._best(self._exact_matches(q), typed)
        if found:
            return found
        if q in self._by_folded_display:
            return self._places[self._by_folded_display[q]]
        if len(q) < _RESOLVE_FUZZY_MIN_QUERY:
            return None
        fuzzy = self._fuzzy_matches(q, RESOLVE_FUZZY_CUTOFF, 5, prefixes=False)
        return self._best({i: (_FUZZY, -score) for i, score in fuzzy.items()}, typed)

    def default_commute_km(self, place: Place) -> float:
        """Maximum commute to assume for a candidate living at ``place`` who gave none.

        An FA-region is the commuting zone its people work in (Tillväxtverket draws it from
        commuting between municipalities towards a core), so the default is the longer of two
        reaches, rounded up to whole 5 km and clamped to 10–100 km (docs/localities.md):

        * the *labour market*: the smallest circle around the place holding localities of the
          region with ``COMMUTE_LABOUR_MARKET`` (100,000) inhabitants together, or, where the
          region has fewer, every locality and municipality point of the region (a
          municipality's point stands for its countryside);
        * the *core city*: where the region's core municipality (the one with the most
          inhabitants) is a city that RegSO divides into at least ``CITY_MIN_DISTRICTS`` (20)
          districts, the circle holding 90 % of those districts for a place in that
          municipality (across the city: central Göteborg reaches Angered, Rinkeby reaches
          Södermalm) and 50 % for a place elsewhere in the region (into the city: Kungälv
          reaches central Göteborg, Lund reaches Malmö).

        Central Göteborg and Stockholm get 15 km, Malmö 10 km, Angered 20 km, Kungälv 20 km;
        sparse regions keep long defaults (Torsby: 50 km, Sorsele: 100 km) unless all the
        region's people live close together (Gällivare: 10 km).
        """
        cached = self._commute_cache.get(place.id)
        if cached is None:
            cached = self._commute_cache[place.id] = self._compute_commute_km(place)
        return cached

    def _postcodes_starting(self, digits: str, limit: int) -> list[Place]:
        start = bisect_left(self._postcode_keys, digits)
        return [p for p in self._postcodes[start:start + limit] if p.postcode.startswith(digits)]

    def _compute_commute_km(self, place: Place) -> float:
        radius = max(self._labour_market_reach(place), self._core_city_reach(place))
        rounded = math.ceil(radius / COMMUTE_STEP_KM) * COMMUTE_STEP_KM
        return min(max(rounded, COMMUTE_MIN_KM), COMMUTE_MAX_KM)

    def _labour_market_reach(self, place: Place) -> float:
        region = self._fa_code(place)
        reach = sorted((haversine_km(place.point, p.point), p.population or 0)
                       for p in self._places
                       if p.kind != "district" and self._fa_code(p) == region)
        people = 0
        for distance, population in reach:
            people += population
            if people >= COMMUTE_LABOUR_MARKET:
                return distance
        return reach[-1][0]

    def _core_city_reach(self, place: Place) -> float:
        core = self._core_cities.get(self._fa_code(place))
        if core is None:
            return 0.0
        kommunkod, districts = core
        share = COMMUTE_ACROSS_CITY if place.kommunkod == kommunkod else COMMUTE_INTO_CITY
        distances = sorted(haversine_km(place.point, point) for point in districts)
        return distances[math.ceil(share * len(distances)) - 1]

    def _fa_code(self, place: Place) -> str:
        return self._municipalities[place.kommunkod].fa_code

    def _rank(self, index: int, typed: str) -> tuple[bool, int, bool, str]:
        """Tie-breaks within a match tier: the spelling as typed, size, localities first."""
        spelled_otherwise = not self._typed_names[index].startswith(typed)
        return (spelled_otherwise, *self._order[index])

    def _prefix_matches(self, q: str) -> dict[int, tuple[int, float]]:
        found: dict[int, tuple[int, float]] = {}
        keys = self._keys
        for position in range(bisect_left(self._key_texts, q), len(keys)):
            key = keys[position]
            if not key.text.startswith(q):
                break
            tier = key.exact_tier if key.text == q else key.prefix_tier
            if key.index not in found or tier < found[key.index][0]:
                found[key.index] = (tier, 0.0)
        return found

    def _fuzzy_matches(self, q: str, cutoff: float, limit: int,
                       prefixes: bool = True) -> dict[int, float]:
        scores: dict[int, float] = {}
        choices = [self._fuzzy]
        if prefixes and len(q) > _FUZZY_MIN_QUERY:
            choices.append(self._truncated_choices(len(q)))
        for choice in choices:
            start, stop = choice.span(len(q), cutoff)
            texts = choice.texts[start:stop]
            for _, score, position in process.extract(q, texts, scorer=fuzz.ratio,
                                                      score_cutoff=cutoff, limit=limit * 3):
                for index in choice.owners[start + position]:
                    scores[index] = max(score, scores.get(index, 0.0))
        return scores

    def _truncated_choices(self, length: int) -> _Choices:
        choices = self._truncated.get(length)
        if choices is None:
            choices = self._truncated[length] = _Choices.of(
                (text[:length], index)
                for text, owners in zip(self._fuzzy.texts, self._fuzzy.owners, strict=True)
                for index in owners
            )
        return choices

    def _exact_matches(self, q: str, within: str | None = None) -> dict[int, tuple[int, float]]:
        """Places named ``q``, optionally only those in municipality or county ``within``."""
        return {i: tier for i, tier in self._prefix_matches(q).items()
                if tier[0] <= _EXACT_ALTERNATE and (within is None or self._lies_in(i, within))}

    def _lies_in(self, index: int, within: str) -> bool:
        place = self._places[index]
        return (within in municipality_forms(place.municipality)
                or within in county_forms(place.county))

    def _best(self, matches: dict[int, tuple[int, float]], typed: str) -> Place | None:
        if not matches:
            return None
        return self._places[min(matches, key=lambda i: (*matches[i], *self._rank(i, typed)))]


@dataclass(frozen=True, slots=True)
class _Choices:
    """Distinct texts for fuzzy matching, each with the places (indexes) that go by it: many
    places share a text once names are cut to the length of the query, and rapidfuzz's cost
    grows with the number of texts."""

    texts: list[str]
    """Shortest first, so that the texts of a length range are one slice."""
    owners: list[list[int]]
    lengths: list[int]

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, int]]) -> _Choices:
        owners: dict[str, list[int]] = {}
        for text, index in pairs:
            indexes = owners.setdefault(text, [])
            if index not in indexes:
                indexes.append(index)
        texts = sorted(owners, key=lambda t: (len(t), t))
        return cls(texts, [owners[t] for t in texts], [len(t) for t in texts])

    def span(self, length: int, cutoff: float) -> tuple[int, int]:
        """The slice of texts that can reach ``cutoff`` against a query of ``length``.

        fuzz.ratio is 200·common/(a+b) with common ≤ min(a, b), so it reaches c only where
        min/max ≥ c/(200−c): 2/3 of the query's length to 3/2 of it for c = 80.
        """
        ratio = cutoff / (200 - cutoff)
        return (bisect_left(self.lengths, math.ceil(length * ratio - 1e-9)),
                bisect_right(self.lengths, math.floor(length / ratio + 1e-9)))


def _typed(text: str) -> str:
    """Text as typed, only without differences of case and spacing."""
    return " ".join(text.casefold().split())


def _municipality_place(m: Municipality) -> Place:
    return Place(id=f"K{m.kommunkod}", name=m.name, kind="municipality", lat=m.lat, lon=m.lon,
                 population=None, kommunkod=m.kommunkod, municipality=m.name, county=m.county)


def _weights(places: list[Place]) -> list[int]:
    """Ranking weight: a locality's population; a municipality's largest locality's; a
    district's 0 (its population is unknown, and a locality of the same rank is the likelier
    meaning)."""
    largest: dict[str, int] = defaultdict(int)
    for p in places:
        largest[p.kommunkod] = max(largest[p.kommunkod], p.population or 0)
    return [p.population if p.population is not None
            else 0 if p.kind == "district" else largest[p.kommunkod] for p in places]


def _core_cities(places: list[Place], regions: dict[str, list[Municipality]]
                 ) -> dict[str, tuple[str, list[tuple[float, float]]]]:
    """Per FA-region whose core municipality is a city: its kommunkod and its districts' points.

    The core is the municipality with the most inhabitants in localities; a city is a core that
    RegSO divides into at least ``CITY_MIN_DISTRICTS`` areas. RegSO areas are drawn by population
    (a few hundred to some twenty thousand people each), so in a city they are its neighbourhoods.
    """
    inhabitants: Counter[str] = Counter()
    districts: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for p in places:
        if p.kind == "locality":
            inhabitants[p.kommunkod] += p.population or 0
        elif p.kind == "district":
            districts[p.kommunkod].append(p.point)
    cities = {}
    for fa_code, members in regions.items():
        core = max(members, key=lambda m: (inhabitants[m.kommunkod], m.kommunkod))
        if len(districts[core.kommunkod]) >= CITY_MIN_DISTRICTS:
            cities[fa_code] = (core.kommunkod, districts[core.kommunkod])
    return cities


def _alternates(localities: list[tuple[Place, list[str]]]) -> dict[str, list[str]]:
    """Alternate names by place id; a municipality shares those of its namesake locality."""
    alternates = {place.id: names for place, names in localities}
    for place, names in localities:
        if place.name == place.municipality and not place.qualifier:
            alternates.setdefault(f"K{place.kommunkod}", []).extend(names)
    return alternates


def _index(places: list[Place], alternates: dict[str, list[str]]) -> list[_Key]:
    keys: dict[tuple[str, int], _Key] = {}

    def add(text: str, index: int, exact_tier: int, prefix_tier: int) -> None:
        old = keys.get((text, index))
        if old is None or (exact_tier, prefix_tier) < (old.exact_tier, old.prefix_tier):
            keys[text, index] = _Key(text, index, exact_tier, prefix_tier)

    for index, place in enumerate(places):
        own = fold(place.name)
        add(own, index, _EXACT, _PREFIX)
        for alternate in alternates.get(place.id, []):
            add(fold(alternate), index, _EXACT_ALTERNATE, _PREFIX_ALTERNATE)
        if place.kind == "municipality":
            for form in municipality_forms(place.name):
                add(form, index, _EXACT, _PREFIX)
        words = own.split(" ")
        for i in range(1, len(words)):
            if not _GENERIC_WORDS.issuperset(words[i:]):
                add(" ".join(words[i:]), index, _PREFIX_ALTERNATE, _PREFIX_ALTERNATE)
    return sorted(keys.values(), key=lambda k: (k.text, k.index))


def _read_csv(name: str) -> list[dict[str, str]]:
    data = resources.files(_PACKAGE).joinpath("data", name).read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return list(csv.DictReader(data.decode("utf-8").splitlines()))


@cache
def _default() -> Gazetteer:
    municipalities = [
        Municipality(kommunkod=r["kommunkod"], name=r["name"], county_code=r["county_code"],
                     county=r["county"], lat=float(r["lat"]), lon=float(r["lon"]),
                     fa_code=r["fa_code"], fa_name=r["fa_name"])
        for r in _read_csv("municipalities.csv")
    ]
    by_code = {m.kommunkod: m for m in municipalities}
    localities = [
        (Place(id=f"L{r['geonameid']}", name=r["name"], kind="locality", lat=float(r["lat"]),
               lon=float(r["lon"]), population=int(r["population"]), kommunkod=r["kommunkod"],
               municipality=by_code[r["kommunkod"]].name, county=by_code[r["kommunkod"]].county,
               qualifier=r["qualifier"]),
         [a for a in r["alternatenames"].split("|") if a])
        for r in _read_csv("localities.csv")
    ]
    districts = [
        (Place(id=f"D{r['regsokod']}", name=r["name"], kind="district", lat=float(r["lat"]),
               lon=float(r["lon"]), population=None, kommunkod=r["kommunkod"],
               municipality=by_code[r["kommunkod"]].name, county=by_code[r["kommunkod"]].county),
         [a for a in r["alternatenames"].split("|") if a])
        for r in _read_csv("districts.csv")
    ]
    postcodes = [
        Place(id=f"P{r['postcode']}", name=r["town"], kind="postcode", lat=float(r["lat"]),
              lon=float(r["lon"]), population=None, kommunkod=r["kommunkod"],
              municipality=by_code[r["kommunkod"]].name, county=by_code[r["kommunkod"]].county,
              postcode=r["postcode"])
        for r in _read_csv("postcodes.csv.gz")
    ]
    return Gazetteer(municipalities, localities + districts, postcodes)
