"""Behaviour of the Swedish skill vocabulary (hansyn.matching.vocabulary)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA

from hansyn.matching import CandidateProfile, Engine, VacancyProfile
from hansyn.matching.vocabulary import Term, Vocabulary, fold, stem
from tests.hypothesis_budget import examples


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.default()


def label_of(vocab: Vocabulary, text: str) -> str:
    return vocab.normalize(text).label


def keys_of(vocab: Vocabulary, text: str) -> dict[str, float]:
    return dict(vocab.related(vocab.normalize(text)))


# ----------------------------------------------------------------- loading


@pytest.fixture(scope="module")
def taxonomy_only() -> Vocabulary:
    """The taxonomy and the lexicon without the job-title ontology: the cascade's own rules."""
    return Vocabulary.load(ontology=[])


def test_default_is_cached() -> None:
    # its load time is measured by benchmarks/skills_eval.py, not here
    first = Vocabulary.default()
    assert Vocabulary.default() is first


def test_version_is_stable(vocab: Vocabulary) -> None:
    assert vocab.version == Vocabulary.default().version
    assert vocab.version.startswith("v")


# ----------------------------------------------------------------- robustness classes


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("undersköterskor", "undersköterska"),
        ("undersköterskan", "undersköterska"),
        ("undersköterskans", "undersköterska"),
        ("lokalvårdaren", "lokalvårdare"),
        ("lokalvårdarna", "lokalvårdare"),
        ("barnskötarna", "barnskötare"),
        ("vårdbiträdena", "vårdbiträde"),
        ("kockarna", "kock"),
        ("frisören", "frisör"),
        ("brandmännen", "brandman"),
        ("fordonsmontörer", "fordonsmontör"),
    ],
)
def test_inflection(vocab: Vocabulary, variant: str, canonical: str) -> None:
    assert vocab.normalize(variant).key == vocab.normalize(canonical).key
    assert vocab.normalize(variant).kind != "free"


@pytest.mark.parametrize("variant", ["truck-förare", "truck förare", "Truckförare", "TRUCKFÖRARE"])
def test_compounds_together_apart_hyphenated(vocab: Vocabulary, variant: str) -> None:
    assert label_of(vocab, variant) == "Truckförare"


def test_compound_with_linking_s(vocab: Vocabulary) -> None:
    assert label_of(vocab, "kontor städare") == "Kontorsstädare"


def test_unknown_compound_falls_back_to_its_head(vocab: Vocabulary) -> None:
    assert label_of(vocab, "nattstädare") == "Städare/Lokalvårdare"
    assert label_of(vocab, "hemtjänstundersköterska") == "Undersköterska"


def test_compound_split_needs_a_known_modifier(vocab: Vocabulary) -> None:
    # "vår" + "träde" is not a reading: the typo of vårdbiträde must win
    assert label_of(vocab, "vårbiträde") == "Vårdbiträde"


@pytest.mark.parametrize(
    ("variant", "label"),
    [
        ("busschaufför", "Bussförare/Busschaufför"),
        ("taxiförare", "Taxiförare/Taxichaufför"),
        ("städerska", "Städare/Lokalvårdare"),
        ("städare", "Städare/Lokalvårdare"),
        ("lagerpersonal", "Lagerarbetare"),
        ("kokerska", "Kock"),
        ("kundservicemedarbetare", "Kundtjänstmedarbetare"),
        ("serveringspersonal", "Servitör/Servitris"),
    ],
)
def test_synonymous_heads(taxonomy_only: Vocabulary, variant: str, label: str) -> None:
    # (with the job-title ontology, lagerpersonal, kokerska, kundservicemedarbetare and
    # serveringspersonal are terms of its own concepts Lagermedarbetare, Kokerska,
    # Kundservicemedarbetare and Serveringspersonal)
    vocab = taxonomy_only
    assert label_of(vocab, variant) == label


def test_synonyms_are_related_below_one(vocab: Vocabulary) -> None:
    related = keys_of(vocab, "städning")
    lokalvard = vocab.normalize("lokalvård").key
    assert 0 < related[lokalvard] < 1
    cleaners = keys_of(vocab, "lokalvårdare")
    assert 0 < cleaners[vocab.normalize("hotellstädare").key] < 1
    drivers = keys_of(vocab, "förare")
    assert 0 < drivers[vocab.normalize("taxichaufför").key] < 1


def test_one_way_satisfaction(vocab: Vocabulary) -> None:
    usk, vb = vocab.normalize("undersköterska").key, vocab.normalize("vårdbiträde").key
    assert 0 < keys_of(vocab, "vårdbiträde")[usk] < 1
    assert vb not in keys_of(vocab, "undersköterska")


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("lokalvard", "lokalvård"),
        ("forare", "förare"),
        ("underskoterska", "undersköterska"),
        ("stadare", "städare"),
        ("barnskotare", "barnskötare"),
        ("korkort b", "körkort B"),
    ],
)
def test_missing_diacritics(vocab: Vocabulary, variant: str, canonical: str) -> None:
    assert vocab.normalize(variant) == vocab.normalize(canonical)


def test_c_sharp_and_c_plus_plus_are_not_c(vocab: Vocabulary) -> None:
    labels = {text: vocab.normalize(text).label for text in ("C", "C#", "C++", "F#")}
    assert labels == {"C": "C, programmeringsspråk", "C#": "C#, programmeringsspråk",
                      "C++": "C++, programmeringsspråk", "F#": "F#.NET, programmeringsspråk"}
    assert vocab.normalize("c++utvecklare") == vocab.normalize("C++-utvecklare")
    assert vocab.normalize("C#-utvecklare") != vocab.normalize("C++-utvecklare")


def test_kock_is_not_kok(vocab: Vocabulary) -> None:
    assert vocab.normalize("kök") != vocab.normalize("kock")
    assert vocab.normalize("kok") != vocab.normalize("kock")
    assert vocab.normalize("kök").kind == "free"


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("undersköterka", "undersköterska"),
        ("lokalvårdre", "lokalvårdare"),
        ("väktrae", "väktare"),
        ("personlig asistent", "personlig assistent"),
        ("resturangbiträde", "restaurangbiträde"),
    ],
)
def test_typos(vocab: Vocabulary, variant: str, canonical: str) -> None:
    assert vocab.normalize(variant) == vocab.normalize(canonical)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("cleaner", "städare"),
        ("forklift licence", "truckkort"),
        ("forklift driver", "truckförare"),
        ("driver", "förare"),
        ("cook", "kock"),
        ("chef", "kock"),
        ("nurse assistant", "undersköterska"),
        ("Swedish language", "svenska"),
        ("driving licence B", "körkort B"),
        ("office cleaner", "kontorsstädare"),
        ("cleaners", "städare"),
    ],
)
def test_english(vocab: Vocabulary, variant: str, canonical: str) -> None:
    assert vocab.normalize(variant) == vocab.normalize(canonical)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("B-körkort", "körkort B"),
        ("B-kort", "körkort B"),
        ("kk B", "körkort B"),
        ("usk", "undersköterska"),
        ("USK", "undersköterska"),
        ("SFI", "svenska SFI"),
        ("CE-behörighet", "körkort CE"),
        ("A-truck", "truckkort A"),
    ],
)
def test_abbreviations(vocab: Vocabulary, variant: str, canonical: str) -> None:
    assert vocab.normalize(variant) == vocab.normalize(canonical)


@pytest.mark.parametrize(
    ("variant", "label"),
    [
        ("Excel", "MS Excel"),
        ("Microsoft Excel", "MS Excel"),
        ("ms-excel", "MS Excel"),
        ("microsoft word", "MS Word"),
        ("PowerPoint", "MS Power Point"),
        ("Microsoft Office", "MS Office"),
        ("office-paketet", "MS Office"),
        ("Navision", "Microsoft Navision, affärssystem"),
        ("MS Navision", "Microsoft Navision, affärssystem"),
    ],
)
def test_microsoft_products_by_any_of_their_names(taxonomy_only: Vocabulary, variant: str,
                                                   label: str) -> None:
    assert taxonomy_only.normalize(variant).label == label


def test_certified_microsoft_titles_are_not_bare_certificates(taxonomy_only: Vocabulary) -> None:
    assert taxonomy_only.normalize("certified professional").kind == "free"


@pytest.mark.parametrize(
    ("variant", "label"),
    [
        ("PA", "Personlig assistent"),
        ("pers. ass.", "Personlig assistent"),
        ("barnsk.", "Barnskötare"),
        ("ekonomiass.", "Ekonomiassistent"),
        ("Städare.", "Städare/Lokalvårdare"),
    ],
)
def test_cut_short_and_capitalised_abbreviations(
    vocab: Vocabulary, variant: str, label: str
) -> None:
    assert label_of(vocab, variant) == label


def test_lowercase_pa_is_not_an_abbreviation(vocab: Vocabulary) -> None:
    assert vocab.normalize("pa").kind == "free"


def test_unknown_text_stays_free_and_normalised(vocab: Vocabulary) -> None:
    first = vocab.normalize("Hjärt-lungräddning HLR!")
    second = vocab.normalize("hjärt lungräddning hlr")
    assert first.kind == "free"
    assert first.key == second.key
    assert first.key.startswith("free:")
    assert first.base == first.key
    assert first.qualifier is None


@pytest.mark.parametrize(
    "text",
    [
        "målning", "inventering", "social kompetens", "byggarbete", "packning", "strykning",
        "trädgård", "sanerare", "warehouse",
    ],
)
def test_no_false_friends(taxonomy_only: Vocabulary, text: str) -> None:
    # målning is not malning; inventering is not injektering; kom|petens is not PET;
    # trädgård (a word of the vocabulary) is not trädvård; the stem saner is not "Saber";
    # warehouse, an English word the lexicon translates, is not a Swedish compound of "House"
    assert taxonomy_only.normalize(text).kind == "free"


def test_the_ontology_knows_more_titles(vocab: Vocabulary) -> None:
    assert label_of(vocab, "sanerare") == "Sanerare"  # a job title, still not "Saber"
    assert label_of(vocab, "lagerpersonal") == "Lagermedarbetare"
    assert label_of(vocab, "sushikockar") == "Sushikock"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("diskare i restaurang", "Diskare"),
        ("personlig assistent inom LSS", "Personlig assistent"),
        ("barnskötare/elevassistent", "Barnskötare"),
        ("tidigare erfarenhet av städning", "Städning"),
        ("farsi", "Persiska (Farsi)"),
    ],
)
def test_heads_of_longer_phrases(vocab: Vocabulary, text: str, label: str) -> None:
    assert label_of(vocab, text) == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("excelkunskaper", "MS Excel"),
        ("svetskunskaper", "Svetsning"),  # the verb stem's -ning noun
        ("städerfarenhet", "Städning"),  # not a Städare
        ("matlagningskunskaper", "Matlagning"),  # the linking -s dropped
        ("hemtjänsterfarenhet", "Hemtjänst"),
        ("datakunskaper", "Datorvana"),  # a slip of an alias comes first
    ],
)
def test_a_skill_joined_to_a_word_for_knowing_it(taxonomy_only: Vocabulary, text: str,
                                                 label: str) -> None:
    term = taxonomy_only.normalize(text)
    assert (term.label, term.kind) == (label, "skill")


def test_a_short_first_part_is_no_skill_of_a_knowledge_compound(
        taxonomy_only: Vocabulary) -> None:
    assert taxonomy_only.normalize("baskunskaper").kind == "free"  # basic knowledge, no "Bas"


def test_free_text_is_keyed_without_the_words_around_the_skill(
        taxonomy_only: Vocabulary) -> None:
    texts = ["Barnomsorg", "erfarenhet av barnomsorg", "goda kunskaper i barnomsorg",
             "barnomsorgserfarenhet", "barnomsorg, erfarenhet"]
    terms = [taxonomy_only.normalize(text) for text in texts]
    assert {term.kind for term in terms} == {"free"}
    assert {term.key for term in terms} == {"free:barnomsorg"}
    assert terms[1].label == "Erfarenhet av barnomsorg"  # the label is the text as written
    assert taxonomy_only.normalize("goda kunskaper").key == "free:god kunskap"  # all filler
    # a part that ends in s of its own keeps it: the stemmer drops only a linking -s
    assert (taxonomy_only.normalize("processkunskaper").key
            == taxonomy_only.normalize("kunskaper i process").key)
    # a short filler word alone may be a compound's first part: a co-teacher is no teacher
    assert taxonomy_only.normalize("med-lärare").key == "free:med lar"


@pytest.mark.parametrize(
    ("versioned", "name"),
    [("Excel 2016", "Excel"), ("Windows 10", "Windows"), ("Photoshop CS6", "Photoshop"),
     ("Revit 2019", "Revit"), ("React.js", "React"), ("Node.js", "Node")],
)
def test_a_product_version_is_the_product(taxonomy_only: Vocabulary, versioned: str,
                                          name: str) -> None:
    assert taxonomy_only.normalize(versioned).key == taxonomy_only.normalize(name).key


def test_numbers_that_tell_things_apart_stay(taxonomy_only: Vocabulary) -> None:
    keys = {taxonomy_only.normalize(text).key for text in ("ISO 9001", "ISO 14001")}
    assert len(keys) == 2
    grades = {taxonomy_only.normalize(text).key for text in ("Lärare åk 1-3", "Lärare åk 4-6")}
    assert len(grades) == 2


@pytest.mark.parametrize(
    ("text", "label"),
    [("storhushållskock", "Kock, storhushåll"), ("lagerarbetsledare", "Arbetsledare, lager"),
     ("vvs-arbetsledare", "Arbetsledare, VVS"), ("musikarrangör", "Arrangör, musik")],
)
def test_a_head_qualifier_label_is_its_compound(taxonomy_only: Vocabulary, text: str,
                                                label: str) -> None:
    assert label_of(taxonomy_only, text) == label


def test_the_compound_of_a_head_qualifier_label_ranks_above_the_bare_head(
        taxonomy_only: Vocabulary) -> None:
    engine = Engine.build([CandidateProfile("head", skills=["kock"]),
                           CandidateProfile("compound", skills=["storhushållskock"])],
                          taxonomy_only)
    ranked = engine.rank(VacancyProfile("v", required_skills=["Kock, storhushåll"]))
    assert [m.candidate_id for m in ranked] == ["compound", "head"]


@pytest.mark.parametrize(
    ("text", "label"),
    [("MIG/MAG-svetsning", "MIG-svetsning"), ("MIG/MAG svetsning", "MIG-svetsning"),
     ("el/vvs-montör", "Elmontör"), ("C/CE-chaufför", "Förare/Chaufför"),
     ("barnskötare/elev assistent", "Barnskötare")],
)
def test_alternatives_share_the_head_written_after_the_second(taxonomy_only: Vocabulary,
                                                              text: str, label: str) -> None:
    """Not the first alternative alone: "C" of "C/CE-chaufför" is the programming language."""
    assert label_of(taxonomy_only, text) == label


@pytest.mark.parametrize(
    ("text", "key"),
    [("B", "licence:B"), ("C lastbil", "licence:C"), ("lastbilskort", "licence:C"),
     ("buss-kort", "licence:D"), ("B (personbil)", "licence:B"),
     ("truckkörkort", "licence:truck"), ("truckkörkort B", "licence:truck#B"),
     ("trucklicens", "licence:truck")],
)
def test_licence_shorthands(vocab: Vocabulary, text: str, key: str) -> None:
    assert vocab.normalize(text).key == key


def test_single_letters_a_c_d_are_not_licences_alone(vocab: Vocabulary) -> None:
    assert vocab.normalize("C").kind != "licence"  # the programming language


# ----------------------------------------------------------------- qualifiers are facts


def test_licence_terms(vocab: Vocabulary) -> None:
    term = vocab.normalize("körkort B")
    assert term == Term("licence:B", "Körkort B", "licence", "licence", "B")
    assert vocab.normalize("körkort C").key == "licence:C"
    assert vocab.label("licence:CE") == "Körkort CE"


def test_licence_qualifiers_never_cross(vocab: Vocabulary) -> None:
    b, c = vocab.normalize("körkort B"), vocab.normalize("körkort C")
    assert b.key != c.key
    assert b.key not in keys_of(vocab, "körkort C")
    assert "licence:A" not in keys_of(vocab, "körkort B")
    assert "licence:D" not in keys_of(vocab, "körkort C")
    assert "licence:C" not in keys_of(vocab, "körkort D")


@pytest.mark.parametrize(
    ("wanted", "holder"),
    [("B", "C"), ("B", "CE"), ("C", "CE"), ("B", "D"), ("B", "BE"), ("C1", "C"), ("BE", "CE"),
     ("A1", "A"), ("AM", "B"), ("B", "B96"), ("D1", "DE")],
)
def test_licence_inclusion_rules(vocab: Vocabulary, wanted: str, holder: str) -> None:
    related = keys_of(vocab, f"körkort {wanted}")
    assert 0 < related[f"licence:{holder}"] <= 1


def test_truck_classes_do_not_cross(vocab: Vocabulary) -> None:
    a, b = vocab.normalize("truckkort A"), vocab.normalize("truckkort B")
    assert (a.key, b.key) == ("licence:truck#A", "licence:truck#B")
    assert a.base == b.base == "licence:truck"
    assert b.key not in keys_of(vocab, "truckkort A")
    assert a.key not in keys_of(vocab, "truckkort B")
    assert "licence:truck#A2" in keys_of(vocab, "truckkort A")
    assert "licence:truck#A" not in keys_of(vocab, "truckkort A2")
    assert a.key in keys_of(vocab, "truckkort")


def test_language_levels(vocab: Vocabulary) -> None:
    b1, b2 = vocab.normalize("svenska B1"), vocab.normalize("svenska B2")
    assert b1.base == b2.base == vocab.normalize("svenska").key
    assert (b1.qualifier, b2.qualifier) == ("B1", "B2")
    assert b1.label == "Svenska B1"
    assert b2.key in keys_of(vocab, "svenska B1")
    assert b1.key not in keys_of(vocab, "svenska B2")


def test_language_level_scales(vocab: Vocabulary) -> None:
    wanted_b1 = keys_of(vocab, "svenska B1")
    assert vocab.normalize("sfi d").key in wanted_b1
    assert vocab.normalize("sfi c").key not in wanted_b1
    assert vocab.normalize("flytande svenska").key in wanted_b1
    assert vocab.normalize("svenska lite").key not in wanted_b1
    assert vocab.normalize("svenska").key not in wanted_b1  # an unknown level proves nothing
    assert vocab.normalize("engelska B2").key not in wanted_b1  # another language


def test_any_level_satisfies_an_unqualified_language(vocab: Vocabulary) -> None:
    assert vocab.normalize("svenska A1").key in keys_of(vocab, "svenska")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("engelskkunskaper", "engelska"),
        ("goda engelskkunskaper", "engelska bra"),
        ("svensktalande", "svenska"),
        ("arabisktalande", "arabiska"),
        ("engelskspråkig", "engelska"),
        ("tyskkunskaper", "tyska"),
        ("svenskkunskaper B1", "svenska B1"),
    ],
)
def test_a_language_joined_to_a_word_for_knowing_it(vocab: Vocabulary, text: str,
                                                    language: str) -> None:
    assert vocab.normalize(text) == vocab.normalize(language)


@pytest.mark.parametrize("text", ["baskunskaper", "datakunskaper", "svenskundervisning"])
def test_only_a_language_adjective_joins(taxonomy_only: Vocabulary, text: str) -> None:
    assert taxonomy_only.normalize(text).kind != "language"


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("goda kunskaper i svenska", "Bra"),
        ("mycket goda kunskaper i svenska", "Mycket bra"),
        ("svenska på B1-nivå", "B1"),
        ("Swedish B2", "B2"),
        ("fluent Swedish", "Flytande"),
        ("sfi kurs D", "SFI D"),
        ("svenska modersmål", "Modersmål"),
    ],
)
def test_language_level_phrases(vocab: Vocabulary, text: str, qualifier: str) -> None:
    term = vocab.normalize(text)
    assert term.kind == "language"
    assert term.qualifier == qualifier


def test_language_skill_is_not_a_language(vocab: Vocabulary) -> None:
    assert vocab.normalize("Svenska, undervisning gymnasienivå").kind == "skill"


# ----------------------------------------------------------------- related / similar_free


@pytest.mark.parametrize(
    "text", ["städare", "körkort B", "svenska B1", "truckkort", "okänd färdighet", "kock", "sfi"]
)
def test_related_contains_itself_at_one(vocab: Vocabulary, text: str) -> None:
    term = vocab.normalize(text)
    related = vocab.related(term)
    assert related[0] == (term.key, 1.0)
    assert all(0 < score <= 1 for _key, score in related)
    assert len({key for key, _ in related}) == len(related)


def test_similar_free_finds_typos_and_inflection(vocab: Vocabulary) -> None:
    term = vocab.normalize("sandlådebyggande")
    assert term.kind == "free"
    assert vocab.normalize("sandlådebyggandet").key == term.key  # inflection: same key
    assert vocab.normalize("sandladebyggande").key == term.key  # diacritics: same key
    pool = [
        vocab.normalize(text).key
        for text in ("sandlådebyggande", "sandlådebygande", "sandlåde-byggande", "cykelreparation")
    ]
    found = dict(vocab.similar_free(term, pool))
    assert found[pool[0]] == 1.0
    assert 0 < found[pool[1]] < 1
    assert 0 < found[pool[2]] < 1
    assert pool[3] not in found
    assert all(0 < score <= 1 for score in found.values())


def test_similar_free_ignores_non_free_terms(vocab: Vocabulary) -> None:
    assert vocab.similar_free(vocab.normalize("städare"), ["free:stadare"]) == []


# ----------------------------------------------------------------- suggest / label


@pytest.mark.parametrize("query", ["lokalv", "lokalvard", "Lokalvård", "LOKALVÅ"])
def test_suggest_tolerates_missing_diacritics(vocab: Vocabulary, query: str) -> None:
    labels = [term.label for term in vocab.suggest(query)]
    assert "Lokalvård" in labels


def test_suggest_filters_kinds_and_limits(vocab: Vocabulary) -> None:
    terms = vocab.suggest("svens", kinds={"language"}, limit=3)
    assert terms
    assert len(terms) <= 3
    assert all(term.kind == "language" for term in terms)
    assert terms[0].label == "Svenska"
    assert vocab.suggest("   ") == []


def test_suggest_offers_language_levels(vocab: Vocabulary) -> None:
    labels = [t.label for t in vocab.suggest("svenska b", limit=3)]
    assert labels[:2] == ["Svenska B1", "Svenska B2"]


def test_language_name_is_not_a_skill_head(vocab: Vocabulary) -> None:
    # "Svenska, cirkelledning" must not capture "svenska b" or "svenska 1"
    assert vocab.normalize("svenska b").kind == "free"


def test_suggest_offers_licences(vocab: Vocabulary) -> None:
    assert "Körkort B" in [t.label for t in vocab.suggest("korkort", kinds={"licence"})]


def test_label_round_trips(vocab: Vocabulary) -> None:
    for text in ["städare", "körkort CE", "svenska B1", "truckkort A", "sfi d", "lokalvård"]:
        term = vocab.normalize(text)
        assert vocab.label(term.key) == term.label
        assert vocab.term(term.key) == term


def test_label_of_unknown_key_raises(vocab: Vocabulary) -> None:
    with pytest.raises(KeyError):
        vocab.label("skill:does-not-exist")


# ----------------------------------------------------------------- properties


def test_blank_text_is_rejected(vocab: Vocabulary) -> None:
    for blank in ["", "   ", "\t\n"]:
        with pytest.raises(ValueError, match="blank"):
            vocab.normalize(blank)


@settings(max_examples=examples(300), deadline=None)
@given(st.text())
def test_normalize_is_total_and_deterministic(text: str) -> None:
    vocab = Vocabulary.default()
    if not text.strip():
        with pytest.raises(ValueError, match="blank"):
            vocab.normalize(text)
        return
    term = vocab.normalize(text)
    assert term == vocab._normalize(text)  # the cache changes nothing
    assert term.kind in {"skill", "occupation", "language", "licence", "free"}
    assert term.key.startswith(term.base)
    assert (term.qualifier is None) == (term.key == term.base) or term.base == "licence"
    related = vocab.related(term)
    assert (term.key, 1.0) in related
    assert all(0 < score <= 1 for _key, score in related)


@settings(max_examples=examples(200), deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöé -", min_size=1, max_size=30))
def test_fold_and_stem_are_idempotent_shapes(text: str) -> None:
    folded = fold(text)
    assert folded == fold(folded)
    assert folded.isascii()
    for word in folded.split():
        assert word.startswith(stem(word)[:1])


def test_normalize_memoises_per_text(vocab: Vocabulary) -> None:
    # how fast it is, cached or not, is measured by benchmarks/skills_eval.py: no timed tests
    first = vocab.normalize("undersköterskor")
    assert vocab.normalize("undersköterskor") is first



@settings(max_examples=examples(300), deadline=None)
@given(data=st.data())
def test_fuzzy_keys_near_a_query_are_all_the_window_edit_distance_can_accept(
        data: st.DataObject) -> None:
    """The letter-count filter only drops keys the edit distance would reject: extract over
    what it keeps returns what it returns over the whole window (the keys with the query's
    first letter and a length within two, by length, then text), in the same order."""
    table = Vocabulary.default()._fuzzy_table()
    key = data.draw(st.sampled_from(table.keys))
    query = key
    for at, letter in data.draw(st.lists(st.tuples(st.integers(1, 30),
                                                   st.sampled_from("aeiorstkx")), max_size=2)):
        at = min(at, len(query))
        query = query[:at] + letter + query[at + 1:]
    allowed = data.draw(st.integers(0, 2))
    window = sorted((k for k in table.keys if k[0] == query[0]
                     and abs(len(k) - len(query)) <= 2), key=lambda k: (len(k), k))
    low, high = table.window(query[0], len(query))
    assert table.keys[low:high] == window

    def found(choices: list[str]) -> list[tuple[str, float]]:
        hits = process.extract(query, choices, scorer=OSA.distance, score_cutoff=allowed,
                               limit=10)
        return [(text, distance) for text, distance, _ in hits]

    assert found(table.near(query, allowed)) == found(window)
