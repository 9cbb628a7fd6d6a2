import math
import runpy
import statistics
from collections import Counter
from pathlib import Path

import pytest

from hansyn.tenants.localities import Gazetteer, Place, fold, haversine_km, municipality_title


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


def localities(gazetteer: Gazetteer) -> list[Place]:
    return [p for p in gazetteer if p.kind == "locality"]


def districts(gazetteer: Gazetteer) -> list[Place]:
    return [p for p in gazetteer if p.kind == "district"]


def first(gazetteer: Gazetteer, query: str) -> Place:
    found = gazetteer.search(query, limit=1)
    assert found, query
    return found[0]


def test_default_is_loaded_once(gazetteer):
    assert Gazetteer.default() is gazetteer


def test_counts(gazetteer):
    assert len(gazetteer.municipalities()) == 290
    assert len(localities(gazetteer)) == 1323
    assert len(districts(gazetteer)) == 3059
    assert len(gazetteer) == 290 + 1323 + 3059
    assert len(gazetteer.postcodes()) == 18709


def test_every_locality_lies_in_a_known_municipality(gazetteer):
    for place in [*localities(gazetteer), *districts(gazetteer), *gazetteer.postcodes()]:
        municipality = gazetteer.municipality(place.kommunkod)
        assert municipality is not None, place
        assert place.municipality == municipality.name
        assert place.county == municipality.county


def test_every_municipality_has_an_fa_region(gazetteer):
    for m in gazetteer.municipalities():
        assert m.fa_code, m
        assert m in gazetteer.fa_region_municipalities(m.fa_code)
    assert gazetteer.municipality("1407").fa_name == "Göteborg"  # Öckerö, filled in by the build
    assert len({m.fa_code for m in gazetteer.municipalities()}) == 60


def test_get_by_stable_id(gazetteer):
    angered = gazetteer.get("L2725872")
    assert angered.name == "Angered"
    assert angered.kind == "locality"
    assert angered.kommunkod == "1480"
    hylte = gazetteer.get("K1315")
    assert hylte.kind == "municipality"
    assert hylte.population is None
    assert gazetteer.get("L0") is None
    assert gazetteer.get("") is None
    assert gazetteer.municipality("9999") is None


def test_fold():
    assert fold("Västra  Frölunda") == "vastra frolunda"
    assert fold("Upplands-Bro") == "upplands bro"
    assert fold("MALMØ") == "malmo"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Goteborg", "Göteborg"),
        ("göteborg", "Göteborg"),
        ("Gothenburg", "Göteborg"),
        ("Malmo", "Malmö"),
        ("Vasteras", "Västerås"),
        ("VÄSTERÅS", "Västerås"),
        ("Orebro", "Örebro"),
        ("Jonkoping", "Jönköping"),
        ("Lulea", "Luleå"),
        ("Stockholm", "Stockholm"),
        ("Stokholm", "Stockholm"),
        ("Gotebrog", "Göteborg"),
        ("Västra Frölunda", "Västra Frölunda"),
        ("Frölunda", "Frölunda torg östra"),
        ("angere", "Angered"),
    ],
)
def test_search_finds_the_place(gazetteer, query, name):
    assert first(gazetteer, query).name == name


def test_search_finds_municipalities(gazetteer):
    hylte = first(gazetteer, "Hylte")
    assert hylte.kind == "municipality"
    assert hylte.display_name == "Hylte kommun"
    assert first(gazetteer, "Göteborgs kommun").id == "K1480"
    assert first(gazetteer, "upplands-bro").id == "K0139"


def test_search_ranks_exact_then_prefix_then_fuzzy_larger_first(gazetteer):
    names = [p.display_name for p in gazetteer.search("Lund")]
    assert names[:2] == ["Lund", "Lunds kommun"]
    prefix = [p for p in gazetteer.search("Lund", limit=50)[2:] if fold(p.name).startswith("lund")]
    populations = [p.population or 0 for p in prefix if p.kind == "locality"]
    assert populations == sorted(populations, reverse=True)
    assert first(gazetteer, "Sto").name == "Stockholm"


def test_diacritics_typed_break_ties(gazetteer):
    assert first(gazetteer, "Håbo").id == "K0305"
    assert [p.id for p in gazetteer.search("Habo", limit=3)] == ["L2709494", "K0643", "K0305"]
    assert gazetteer.resolve("Håbo").id == "K0305"
    assert gazetteer.resolve("Habo kommun").id == "K0643"


def test_search_edge_cases(gazetteer):
    assert gazetteer.search("") == []
    assert gazetteer.search("  -- ") == []
    assert gazetteer.search("Stockholm", limit=0) == []
    assert len(gazetteer.search("s", limit=7)) == 7
    assert gazetteer.search("qxzjv") == []


def test_display_names_are_unique(gazetteer):
    counts = Counter(p.display_name for p in gazetteer)
    assert [name for name, n in counts.items() if n > 1] == []


def test_same_named_places_are_told_apart(gazetteer):
    nykvarn = {p.display_name for p in gazetteer.search("Nykvarn") if p.kind == "locality"}
    assert nykvarn == {"Nykvarn", "Nykvarn (Norrtälje)"}
    alunda = {p.display_name for p in gazetteer.search("Alunda") if p.name == "Alunda"}
    assert alunda == {"Alunda (Östhammar, norra)", "Alunda (Östhammar, södra)"}
    assert gazetteer.get("L2725872").display_name == "Angered (Göteborg)"


def test_municipality_title():
    assert municipality_title("Hylte") == "Hylte kommun"
    assert municipality_title("Göteborg") == "Göteborgs kommun"
    assert municipality_title("Västerås") == "Västerås kommun"
    assert municipality_title("Falun") == "Falu kommun"


def test_resolve_round_trips_every_display_name(gazetteer):
    for place in gazetteer:
        assert gazetteer.resolve(place.display_name) is place
        without_diacritics = gazetteer.resolve(fold(place.display_name))
        assert fold(without_diacritics.name) == fold(place.name)  # Habo for Håbo, a namesake


@pytest.mark.parametrize(
    ("text", "place_id"),
    [
        ("Göteborg", "L2711537"),
        ("  goteborg ", "L2711537"),
        ("Gothenburg", "L2711537"),
        ("415 05 Göteborg", "P41505"),
        ("999 99 Göteborg", "L2711537"),
        ("Göteborgs stad", "K1480"),
        ("Göteborg kommun", "K1480"),
        ("Angered, Göteborg", "L2725872"),
        ("Nykvarn, Norrtälje", "L2687690"),
        ("Nykvarn (Norrtälje kommun)", "L2687690"),
        ("Vi, Västernorrlands län", "L3336565"),
        ("Stokholm", "L2673730"),
        ("Hylte", "K1315"),
    ],
)
def test_resolve(gazetteer, text, place_id):
    assert gazetteer.resolve(text).id == place_id


@pytest.mark.parametrize("text", ["", "   ", "asdfgh", "qwertyuiop", "Paris", "London", "12345",
                                  "Lorem ipsum", "xyz", "Malm", "N/A"])
def test_resolve_garbage_gives_none(gazetteer, text):
    assert gazetteer.resolve(text) is None


def test_haversine():
    goteborg, stockholm = (57.70716, 11.96679), (59.32938, 18.06871)
    assert haversine_km(goteborg, stockholm) == pytest.approx(398, abs=5)
    assert haversine_km(stockholm, goteborg) == pytest.approx(haversine_km(goteborg, stockholm))
    assert haversine_km(stockholm, stockholm) == 0
    assert haversine_km((0.0, 0.0), (1.0, 0.0)) == pytest.approx(111.2, abs=0.1)


def test_default_commute_is_in_range_and_whole_5_km(gazetteer):
    for place in gazetteer:
        km = gazetteer.default_commute_km(place)
        assert 10 <= km <= 100
        assert km % 5 == 0


def test_default_commute_in_dense_and_sparse_regions(gazetteer):
    def km(text: str) -> float:
        return gazetteer.default_commute_km(gazetteer.resolve(text))

    assert km("Stockholm") == km("Göteborg") == 15
    assert km("Malmö") == 10
    assert km("Angered, Göteborg") < km("Norrtälje") < km("Sorsele")
    assert km("Torsby") > km("Karlstad")


def test_default_commute_is_longer_in_sparse_fa_regions(gazetteer):
    inhabitants: Counter[str] = Counter()
    for place in localities(gazetteer):
        inhabitants[gazetteer.municipality(place.kommunkod).fa_code] += place.population or 0
    sparse, dense = [], []
    for place in gazetteer:
        region_size = inhabitants[gazetteer.municipality(place.kommunkod).fa_code]
        if region_size < 50_000:
            sparse.append(gazetteer.default_commute_km(place))
        elif region_size > 500_000:
            dense.append(gazetteer.default_commute_km(place))
    assert statistics.mean(sparse) > 1.5 * statistics.mean(dense)


def labour_market_reach(gazetteer: Gazetteer, home: Place) -> float:
    """The smallest radius holding 100,000 of the region's inhabitants, else the whole region."""
    fa_code = gazetteer.municipality(home.kommunkod).fa_code
    region = {m.kommunkod for m in gazetteer.fa_region_municipalities(fa_code)}
    places = sorted((haversine_km(home.point, p.point), p.population or 0) for p in gazetteer
                    if p.kommunkod in region and p.kind != "district")
    running = 0
    for distance, people in places:
        running += people
        if running >= 100_000:
            return distance
    return places[-1][0]


def core_city_reach(gazetteer: Gazetteer, home: Place) -> float:
    """90 % of the core city's districts from inside it, 50 % from elsewhere in the region."""
    fa_code = gazetteer.municipality(home.kommunkod).fa_code
    members = gazetteer.fa_region_municipalities(fa_code)
    people = Counter()
    for p in localities(gazetteer):
        people[p.kommunkod] += p.population
    core = max(members, key=lambda m: (people[m.kommunkod], m.kommunkod))
    points = [p.point for p in districts(gazetteer) if p.kommunkod == core.kommunkod]
    if len(points) < 20:
        return 0.0
    share = 0.9 if home.kommunkod == core.kommunkod else 0.5
    distances = sorted(haversine_km(home.point, point) for point in points)
    return distances[math.ceil(share * len(distances)) - 1]


@pytest.mark.parametrize("text", ["Norrtälje", "Angered, Göteborg", "Torsby", "Hylte kommun",
                                  "Göteborg", "Kungälv", "417 05", "Norra Biskopsgården"])
def test_default_commute_is_the_radius_the_docstring_states(gazetteer, text):
    home = gazetteer.resolve(text)
    reach = max(labour_market_reach(gazetteer, home), core_city_reach(gazetteer, home))
    expected = min(max(math.ceil(reach / 5) * 5, 10), 100)
    assert gazetteer.default_commute_km(home) == expected


def test_default_commute_reaches_across_the_city(gazetteer):
    """Issue 11: at 10 km people in central Göteborg never matched jobs in Angered's parts."""
    pairs = [("Göteborg", "Lövgärdet (Göteborg)"), ("Göteborg", "Rannebergen norra"),
             ("Göteborg", "Gårdsten nordöstra"), ("Stockholm", "Akalla"),
             ("Angered", "Frölunda torg östra")]
    for home_text, far_part in pairs:
        home, part = gazetteer.resolve(home_text), gazetteer.resolve(far_part)
        assert part.kommunkod == home.kommunkod
        assert haversine_km(home.point, part.point) <= gazetteer.default_commute_km(home), far_part


def test_default_commute_reaches_into_the_core_city(gazetteer):
    for home_text in ["Kungälv", "Lund", "Kungsbacka", "Alingsås"]:
        home = gazetteer.resolve(home_text)
        core_text = {"Lund": "Malmö"}.get(home_text, "Göteborg")
        core = gazetteer.resolve(core_text)
        assert haversine_km(home.point, core.point) <= gazetteer.default_commute_km(home)


REPO = Path(__file__).resolve().parents[3]
SOURCE = REPO.parent / "shared" / "data" / "sweden"


@pytest.mark.skipif(not SOURCE.is_dir(), reason="needs the shared source tables")
def test_shipped_data_is_what_the_build_writes(tmp_path):
    build = runpy.run_path(str(REPO / "tools" / "build_gazetteer.py"), run_name="build_gazetteer")
    build["main"](["--source", str(SOURCE), "--out", str(tmp_path)])
    shipped = REPO / "hansyn" / "tenants" / "localities" / "data"
    for name in ("municipalities.csv", "localities.csv"):
        assert (tmp_path / name).read_bytes() == (shipped / name).read_bytes(), name
