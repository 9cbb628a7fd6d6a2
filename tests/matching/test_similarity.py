"""The stemmer and the graded similarity: properties over the shipped vocabulary."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse as sp

from hansyn.matching import CandidateProfile, Engine, VacancyProfile, kernels
from hansyn.matching.forms import FormIndex, _prefilters, _second_code
from hansyn.matching.ngrams import _SUBLINEAR, NgramModel
from hansyn.matching.similarity import (
    CONJUNCT,
    FEMININE,
    FIRST_AND_SLIP,
    FIRST_LETTER,
    GENERIC,
    INFLECTED,
    LINKING,
    SOUND,
    SPECIFIC,
    STAFF,
    TYPO,
    TYPO_COSINE,
    Wanted,
    closeness,
    last_conjunct,
    leads,
    learn_head_swaps,
    linking_variants,
    reworded,
    score,
    slip,
)
from hansyn.matching.swedish import form, lower_words, marks, sound, stem, suffixes_in
from hansyn.matching.vocabulary import CONFIRMED_SWAP, LEXICON_SWAP, Vocabulary


def _occupation_words() -> list[str]:
    """The last word of every occupation name of the shipped taxonomy (the nouns of titles)."""
    data = resources.files("hansyn.matching.data").joinpath("taxonomy.json.gz").read_bytes()
    words = set()
    for _id, label in json.loads(gzip.decompress(data))["occupation"]:
        found = lower_words(label.split(",")[0].split("/")[0])
        if found and found[-1].isalpha() and len(found[-1]) >= 5:
            words.add(found[-1])
    return sorted(words)


def inflections(word: str) -> list[str] | None:
    """Singular, plural, definite and genitive forms of a job-title noun, by its declension;
    None for endings whose declension the spelling does not tell (-s, -e, -er, -an, ...)."""
    if word.endswith("man"):
        stem_ = word[:-3]
        return [word, stem_ + "män", word + "nen", stem_ + "männen", word + "s", stem_ + "männens"]
    if word.endswith("are"):
        return [word, word + "n", word[:-1] + "na", word + "s", word + "ns", word[:-1] + "nas"]
    if word.endswith("a") and not word.endswith("ia"):
        base = word[:-1]
        return [word, base + "or", word + "n", base + "orna", word + "ns", base + "ornas"]
    if word.endswith(("ör", "ist", "ent", "ant", "log", "nom", "ör", "tekt", "graf")):
        return [word, word + "er", word + "en", word + "erna", word + "s", word + "ens",
                word + "ernas"]
    if word.endswith(("tor", "sor")):  # Latin agent nouns: koordinatorn, revisorer
        return [word, word + "er", word + "n", word + "erna", word + "s", word + "ns",
                word + "ernas"]
    if word.endswith(("kock", "lärd", "värd", "arbetsledare")):
        return [word, word + "ar", word + "en", word + "arna", word + "s", word + "ens"]
    return None


DECLINABLE = [w for w in _occupation_words() if inflections(w) is not None]


def test_the_property_covers_much_of_the_vocabulary() -> None:
    assert len(DECLINABLE) > 1500


@settings(max_examples=400, deadline=None)
@given(word=st.sampled_from(DECLINABLE))
def test_a_word_and_its_inflections_reach_one_stem(word: str) -> None:
    forms = inflections(word)
    assert forms is not None
    assert {stem(f) for f in forms} == {stem(word)}, [(f, stem(f)) for f in forms]


@pytest.mark.parametrize(("a", "b"), [
    ("brandman", "brandmännen"), ("undersköterska", "undersköterskans"),
    ("köksbiträde", "köksbiträdena"), ("advokat", "advokaterna"), ("lärare", "lärares"),
])
def test_snowball_plus_swedish_extras(a: str, b: str) -> None:
    assert stem(a) == stem(b)


def test_forms_join_compounds_written_apart() -> None:
    assert form("CAD-operatörer") == form("cadoperatör") == form("Cad operatör")
    assert form("chefs-koordinator") == form("Chefskoordinator")


@pytest.fixture(scope="module")
def model() -> NgramModel:
    return Vocabulary.default().ngram_model()


def _score(model: NgramModel, wanted_text: str, offered_text: str,
           swaps: list[tuple[str, float]] | None = None) -> float:
    own, other = form(wanted_text), form(offered_text)
    wanted = Wanted.of([own], swaps or [], model, wanted_text)
    cosine = float((model.vectors([own]) @ model.vectors([other]).T).toarray()[0, 0])
    return score(wanted, other, cosine, " ".join(lower_words(offered_text)))


def _cosine(model: NgramModel, a: str, b: str) -> float:
    value = float((model.vectors([form(a)]) @ model.vectors([form(b)]).T).toarray()[0, 0])
    return value if value >= TYPO_COSINE else 0.0


def test_exact_and_specific_beat_generic(model: NgramModel) -> None:
    exact = _score(model, "Städare", "städarna")
    specific = _score(model, "Städare", "nattstädare")
    generic = _score(model, "Nattstädare", "städare")
    assert exact == 1.0
    # within a rule, the closer wording first (closeness: 0.95-1 by the n-gram cosine)
    assert specific == pytest.approx(SPECIFIC * closeness(_cosine(model, "Städare",
                                                                   "nattstädare")))
    assert generic == pytest.approx(GENERIC * closeness(_cosine(model, "Nattstädare",
                                                                 "städare")))
    assert SPECIFIC * 0.95 <= specific < SPECIFIC
    assert GENERIC * 0.95 <= generic < GENERIC
    assert _score(model, "Städare", "kontorsvaktmästare") < generic


@pytest.mark.parametrize(("wanted", "offered"), [
    ("Fogare", "kronofogden"),  # stemmed "fog" and "kronofog": a fogde is no fogare
    ("Trader", "mackbiträde"),  # folded, the form of biträde ends with "trad"
    ("Lantbrukare", "maskinförare inom lantbruk"),  # the head is in a qualifying phrase
])
def test_forms_that_end_alike_are_no_specialisation_unless_the_words_do(
        model: NgramModel, wanted: str, offered: str) -> None:
    assert form(offered).endswith(form(wanted))
    assert _score(model, wanted, offered) < SPECIFIC * 0.95
    assert _score(model, offered, wanted) < GENERIC * 0.95


@pytest.mark.parametrize(("wanted", "offered"), [
    ("Städare", "nattstädarna"),
    ("Vårdare", "lokalvardare"),  # typed without å: compared folded
    ("Kökskock", "kallköks-kock"),
    ("Servicehandläggare", "kundservice-handläggare"),
    ("Städare inom vården", "nattstädare inom vården"),
])
def test_a_specialisation_is_one_in_the_words_too(model: NgramModel, wanted: str,
                                                  offered: str) -> None:
    assert _score(model, wanted, offered) >= SPECIFIC * 0.95
    assert _score(model, offered, wanted) >= GENERIC * 0.95


@given(cosine=st.floats(0.0, 1.0), other=st.floats(0.0, 1.0))
def test_another_wording_of_the_key_comes_after_a_one_edit_slip(cosine: float,
                                                                 other: float) -> None:
    """The wanted wording and its one-edit slips first, whatever the cosines, then the
    synonyms the vocabulary knows, by how much wording they share."""
    assert reworded(1.0, cosine) < TYPO[1] * closeness(other)
    assert reworded(1.0, min(cosine, other)) <= reworded(1.0, max(cosine, other))


def test_the_last_word_misspelt_is_the_generic_head_misspelt(model: NgramModel) -> None:
    cosine = _cosine(model, "Personlig assistent", "asistent")
    assert _score(model, "Personlig assistent", "asistent") == pytest.approx(
        GENERIC * TYPO[1] * closeness(cosine))
    assert _score(model, "Personlig assistent", "assistenter") > _score(
        model, "Personlig assistent", "asistent")
    assert _score(model, "Städare inom vård", "vårdar") < GENERIC * 0.9  # a phrase's word
    index = FormIndex(lambda: model)
    for key_id, text in enumerate(["asistent", "assistent", "konsult"]):
        index.add(key_id, form(text), text)
    wanted = Wanted.of([form("Personlig assistent")], [], model, "Personlig assistent")
    found = index.scores(wanted)
    assert found[0] == pytest.approx(_score(model, "Personlig assistent", "asistent"))
    assert found[1] > found[0]
    assert 2 not in found


def test_a_slip_beats_another_compound_with_the_same_head(model: NgramModel) -> None:
    slip = _score(model, "Sortimentsutvecklare", "sortimentutvecklare")
    other = _score(model, "Sortimentsutvecklare", "microsoftutvecklare")
    assert slip > other
    slip = _score(model, "Administratör", "adminstratörer")
    assert slip == pytest.approx(0.95 * closeness(_cosine(model, "Administratör",
                                                           "adminstratörer")))
    assert _score(model, "Kock", "kök") < 0.5  # no typo budget for four letters


def test_the_title_with_a_word_for_its_staff_is_the_title(model: NgramModel) -> None:
    for offered in ("receptionistpersonal", "receptionist-medarbetare"):
        assert _score(model, "Receptionist", offered) == pytest.approx(
            STAFF * closeness(_cosine(model, "Receptionist", offered)))
    assert _score(model, "It-support", "it-supportmedarbetare") > SPECIFIC
    assert _score(model, "Kontor", "kontorsarbetare") > SPECIFIC
    assert _score(model, "Receptionist", "receptionistutbildare") < SPECIFIC
    index = FormIndex(lambda: model)
    for key_id, text in enumerate(["receptionistpersonal", "receptionistutbildare"]):
        index.add(key_id, form(text), text)
    found = index.scores(Wanted.of([form("Receptionist")], [], model, "Receptionist"))
    assert found[0] == pytest.approx(_score(model, "Receptionist", "receptionistpersonal"))


def test_the_first_letter_of_a_short_first_word_is_no_slip(model: NgramModel) -> None:
    """"hr" has no slip budget, so "pr-specialist" is no slip of Hr-specialist's first
    letter; a long first word's first letter may slip."""
    assert _score(model, "Hr-specialist", "pr-specialist") < FIRST_LETTER * 0.95
    assert _score(model, "Hr-specialist", "hrspecialister") == 1.0
    assert _score(model, "Simledare ute", "timledare ute") >= FIRST_LETTER * 0.95


def test_a_short_word_spelt_as_it_sounds_is_a_slip(model: NgramModel) -> None:
    """No edit budget reaches four letters (kock/kök), but "kokk" sounds like "kock": a
    misspelling. An å/ä/ö the wanted text lacks makes another word ("kökk")."""
    assert sound("kokk") == sound("kock")
    assert _score(model, "Kock", "kokk") == pytest.approx(
        SOUND * closeness(_cosine(model, "Kock", "kokk")))
    assert _score(model, "Kock", "kokkar") > 0.9  # inflected as well
    assert _score(model, "Kock", "kökk") < 0.5
    assert _score(model, "Chaufför", "schaufför") > 0.9


def test_a_dropped_first_letter_is_a_slip_of_a_long_enough_word(model: NgramModel) -> None:
    assert _score(model, "Säljare", "äljare") == pytest.approx(
        FIRST_LETTER * closeness(_cosine(model, "Säljare", "äljare")))
    assert _score(model, "Lärare", "ärare") > 0.85
    assert _score(model, "Lärare", "år") < 0.5  # too little left to tell
    assert _score(model, "Säljare", "äsljare") > 0.85  # swapped with the second
    assert _score(model, "Simledare", "timledare") == pytest.approx(
        FIRST_LETTER * closeness(_cosine(model, "Simledare", "timledare")))
    assert _score(model, "Rostare", "bostare") < 0.8  # another first letter needs 8 letters
    assert _score(model, "Kock", "ock") < 0.5


def test_a_first_letter_added_or_with_one_more_slip(model: NgramModel) -> None:
    """An added first letter is a first-letter slip too; with one more slip elsewhere (the
    two-edit budget: seven letters or more) it counts FIRST_AND_SLIP, but not when the first
    letter is another one (two substitutions make another word)."""
    assert _score(model, "Rostare", "frostare") == pytest.approx(
        FIRST_LETTER * closeness(_cosine(model, "Rostare", "frostare")))
    for wanted, offered in [("Rostare", "frostade"), ("Lastbilschaufför", "alstbilschauför"),
                            ("Lastbilschaufför", "astbilschafför")]:
        assert _score(model, wanted, offered) == pytest.approx(
            FIRST_AND_SLIP * closeness(_cosine(model, wanted, offered)))
    assert _score(model, "Kontorsansvarig", "mentorsansvarig") < FIRST_AND_SLIP * 0.95
    assert _score(model, "Rostare", "bostade") < 0.8
    assert _score(model, "Lärare", "fläraee") < 0.8  # six letters: one edit, not two


def test_the_index_finds_first_letter_slips_as_the_definition_does() -> None:
    vocab = Vocabulary.default()
    model = vocab.ngram_model()
    texts = ["frostade", "frostare", "rostare", "domprost", "bostade", "kaffrostare"]
    index = FormIndex(lambda: model)
    for i, text in enumerate(texts):
        index.add(i, form(text), " ".join(lower_words(text)))
    wanted = Wanted.of([form("Rostare")], [], model, "Rostare")
    found = index.scores(wanted)
    for i, text in enumerate(texts):
        assert found.get(i, 0.0) == pytest.approx(_score(model, "Rostare", text))
    assert found[0] > found[3]  # frostade before domprost


def test_the_engine_finds_short_and_first_letter_misspellings_not_other_words() -> None:
    """With the shipped vocabulary: "kokk" is a Kock ahead of unrelated kitchen work,
    "äljare" a Säljare; "rastare" (a dog walker, a word the vocabulary knows) is no slip of
    "Rostare" (a coffee roaster, another word it knows), so the roaster's own forms come
    first."""
    engine = Engine.build([
        CandidateProfile("kokk", skills=["kokk"]),
        CandidateProfile("kitchen", skills=["köksbiträde"]),
        CandidateProfile("kok", skills=["kök"]),
        CandidateProfile("äljare", skills=["äljare"]),
        CandidateProfile("rastare", skills=["rastare"]),
        CandidateProfile("rostarna", skills=["rostarna"]),
        CandidateProfile("kafferostare", skills=["kafferostare"]),
    ])
    kock = [m.candidate_id for m in engine.rank(VacancyProfile("v", required_skills=["Kock"]))]
    assert kock[0] == "kokk"
    assert "kok" not in kock[:1]
    säljare = engine.rank(VacancyProfile("s", required_skills=["Säljare"]))
    assert säljare[0].candidate_id == "äljare"
    roaster = {m.candidate_id: m.score
               for m in engine.rank(VacancyProfile("r", required_skills=["Rostare"]))}
    assert roaster["rostarna"] > roaster["kafferostare"] > roaster.get("rastare", 0.0)


def test_a_word_the_vocabulary_knows_is_no_misspelling(model: NgramModel) -> None:
    """A known word is another word: "ost" (cheese) is no "rost" without its r, and
    "försörjningsansvarig" no slip of "Försäljningsansvarig" when both are words; an unknown
    one may be a slip."""
    wanted_text, offered = "Försäljningsansvarig", "försörjningsansvarig"
    own, other = form(wanted_text), form(offered)
    wanted = Wanted.of([own], [], model, wanted_text, known=True)
    cosine = _cosine(model, wanted_text, offered)
    assert score(wanted, other, cosine, offered, word=True) < 0.8
    assert score(wanted, other, cosine, offered, word=False) > 0.85
    assert score(Wanted.of([own], [], model, wanted_text), other, cosine, offered,
                 word=True) > 0.85  # an unknown wanted text may itself be the slip
    säljare = Wanted.of([form("Säljare")], [], model, "Säljare", known=True)
    assert score(säljare, form("äljare"), _cosine(model, "Säljare", "äljare"), "äljare",
                 word=True) < 0.8


def test_feminine_titles_are_the_title(model: NgramModel) -> None:
    assert _score(model, "Lärare", "lärarinna") == pytest.approx(
        FEMININE * closeness(_cosine(model, "Lärare", "lärarinna")))
    assert _score(model, "Lärarinna", "lärare") > 0.85
    assert _score(model, "Lärare", "lärarinnor") > 0.85
    assert _score(model, "Kassör", "kassörska") > 0.85
    assert _score(model, "Värd", "värdinna") > 0.85
    assert _score(model, "Lärare", "lärarinnorna") > 0.85
    assert _score(model, "Förrådsman", "förrådskvinnor") > 0.85
    assert _score(model, "Brandkvinna", "brandmännen") > 0.85
    assert _score(model, "Roman", "rokvinna") < 0.85  # "ro" is no title's first part


def test_slips_are_judged_on_the_spelling_too(model: NgramModel) -> None:
    """A misspelled word escapes the stemmer ("ingenior" is stemmed to "ingeni"), so a slip
    is one of the written words as well as of the forms."""
    assert form("ingenior") != form("Ingenjör")
    assert _score(model, "Ingenjör", "ingenior") >= 0.9
    assert _score(model, "Lärare", "lärarei") >= 0.9


def test_short_words_with_an_inflection_the_stemmer_leaves(model: NgramModel) -> None:
    for offered in ("vd:n", "vd-ar", "vden"):
        assert _score(model, "Vd", offered) == pytest.approx(
            INFLECTED * closeness(_cosine(model, "Vd", offered)))
    assert _score(model, "Mentor", "mentorn") > 0.9
    assert _score(model, "Vd", "vdx") < 0.5


def test_a_diacritic_is_a_slip_not_the_same_word(model: NgramModel) -> None:
    assert _score(model, "Matkonsult", "matkonsulter") == 1.0
    assert _score(model, "Matkonsult", "mätkonsulter") == pytest.approx(0.95)


def test_the_last_conjunct_of_a_shared_head() -> None:
    assert last_conjunct("Studie- och yrkesvägledare") == "yrkesvägledare"
    assert last_conjunct("Bild-, ljud- och ljustekniker") == "ljustekniker"
    assert last_conjunct("Vvs-montör") == ""


def test_a_slip_of_the_last_conjunct(model: NgramModel) -> None:
    assert _score(model, "Studie- och yrkesvägledare", "yrksevägledare") > 0.8
    assert _score(model, "Studie- och yrkesvägledare", "yrkesvägledare") == pytest.approx(
        CONJUNCT * closeness(_cosine(model, "Studie- och yrkesvägledare", "yrkesvägledare")))


def test_an_s_added_or_dropped_where_compound_parts_meet(model: NgramModel) -> None:
    """The linking -s- varies ("eventssäljare", "sortimentutvecklare"): closer than a slip of
    another letter, never at either end (that is an inflection or another word)."""
    for wanted, offered in [("Eventsäljare", "eventssäljare"),
                            ("Sortimentsutvecklare", "sortimentutvecklare")]:
        assert _score(model, wanted, offered) == pytest.approx(
            LINKING * closeness(_cosine(model, wanted, offered)))
    assert _score(model, "Eventsäljare", "eventssäljare") > _score(model, "Eventsäljare",
                                                                   "eventtsäljare")
    assert linking_variants("kassor") == {"kasssor"}  # not "kasor": "or" is no part
    assert "lotss" not in linking_variants("lots")


def test_a_title_followed_by_other_words_is_a_specialisation(model: NgramModel) -> None:
    """ "Kontorsansvarig säljare" is a kontorsansvarig (who sells): the wanted title as the
    offered text's first words counts like a specialisation; joined into one compound, or
    with fewer than three letters on either side, it does not."""
    expected = SPECIFIC * closeness(_cosine(model, "Kontorsansvarig", "kontorsansvarig säljare"))
    assert _score(model, "Kontorsansvarig", "kontorsansvarig säljare") == pytest.approx(expected)
    assert _score(model, "Kontorsansvarig", "kontorsansvarigsäljare") < expected
    assert leads("vd assistent") == set()
    assert leads("kock i storhushåll") == {"kock", "kocki"}
    engine = Engine.build([CandidateProfile("lead", skills=["kontorsansvarig säljare"]),
                           CandidateProfile("other", skills=["mentorsansvarig"])])
    ranked = engine.rank(VacancyProfile("v", required_skills=["Kontorsansvarig"]))
    assert ranked[0].candidate_id == "lead"


def test_head_swaps_from_the_lexicon() -> None:
    vocab = Vocabulary.default()
    swaps = dict(vocab.head_swaps(form("Butiksmedarbetare")))
    assert form("butikspersonal") in swaps
    assert form("butiksmedmedarbetare") not in swaps  # only the longest head is swapped
    # an English head compounded with a Swedish first part is the Swedish head
    assert form("javadeveloper") in dict(vocab.head_swaps(form("Javautvecklare")))
    assert form("it-tekniker") in dict(vocab.head_swaps(form("it-technician")))


def test_another_known_head_is_another_word_not_a_slip(model: NgramModel) -> None:
    """Förare and lärare are words of the vocabulary's labels: "anläggningslärare" is not two
    slips of Anläggningsförare, while a head with a letter dropped still is a slip."""
    words = Vocabulary.load(ontology=[]).head_words()

    def wanted(text: str) -> Wanted:
        return Wanted.of([form(text)], [], model, text, head_words=words)

    def score_of(wanted_text: str, offered_text: str) -> float:
        cosine = _cosine(model, wanted_text, offered_text)
        return score(wanted(wanted_text), form(offered_text), cosine, offered_text)

    assert {"larare", "forare"} <= words
    assert "farare" not in words
    assert slip(wanted("Anläggningsförare"), form("anläggningslärare"), "anlaggningslarare") == 0
    assert score_of("Anläggningsförare", "anläggningslärare") < TYPO[2] * closeness(0.0)
    assert slip(wanted("Anläggningsförare"), form("anläggningsfärare"), "anlaggningsfarare") == 1
    assert slip(wanted("Omvårdnadspersonal"), form("omvårdnadspersona"), "omvardnadspersona")
    # and so a synonym's compound ranks above the other word
    engine = Engine.build([CandidateProfile("teacher", skills=["anläggningslärare"]),
                           CandidateProfile("driver", skills=["anläggningschaufför"])],
                          Vocabulary.load(ontology=[]))
    ranked = engine.rank(VacancyProfile("v", required_skills=["Anläggningsförare"]))
    assert ranked[0].candidate_id == "driver"


def test_a_developer_is_a_programmer_without_any_learned_title() -> None:
    vocab = Vocabulary.load(ontology=[])  # the lexicon's groups alone
    assert form("javaprogrammerare") in dict(vocab.head_swaps(form("Javautvecklare")))
    assert form("php-utvecklare") in dict(vocab.head_swaps(form("php-programmerare")))


def test_a_whole_compound_of_the_lexicon_swaps_its_head_too() -> None:
    """"Kundservicemedarbetare" is a group of the lexicon and a compound of "medarbetare":
    both swaps apply; a whole word that is the shorter head's synonym is no compound of it."""
    vocab = Vocabulary.default()
    swaps = dict(vocab.head_swaps(form("Kundservicemedarbetare")))
    assert form("kundtjänstmedarbetare") in swaps  # its own group
    assert form("kundservicepersonal") in swaps  # its head's
    assert not any(f.startswith("medp") for f, _ in vocab.head_swaps(form("Medarbetare")))


def test_head_swaps_are_learned_from_pairs_of_one_concept() -> None:
    pairs = [(form(a), form(b)) for a, b in [
        ("Butiksmedarbetare", "butikspersonal"), ("Lagermedarbetare", "lagerpersonal"),
        ("Riskspecialist", "riskexpert"), ("Administratör", "adminstratör"),
    ]]
    learned = learn_head_swaps(pairs)
    assert (form("medarbetare"), form("personal")) in learned
    assert all("expert" not in pair[0] + pair[1] for pair in learned)  # one prefix only
    assert len(learned) == 1  # and a spelling slip is no rule


def test_a_lexicon_swap_the_ontology_shows_too_ranks_first() -> None:
    """medarbetare/personal is in the lexicon and shown by two concepts' terms: it beats
    arbetare/personal, which only the lexicon names; without those terms the two tie."""
    ontology = [("Butikspersonal", ["butiksmedarbetare"]), ("Lagerpersonal", ["lagermedarbetare"])]
    confirmed = dict(Vocabulary.load(ontology=ontology).head_swaps(form("Restaurangpersonal")))
    assert confirmed[form("restaurangmedarbetare")] == CONFIRMED_SWAP
    assert confirmed[form("restaurangarbetare")] == LEXICON_SWAP < CONFIRMED_SWAP
    plain = dict(Vocabulary.load(ontology=[]).head_swaps(form("Restaurangpersonal")))
    assert plain[form("restaurangmedarbetare")] == plain[form("restaurangarbetare")]
    engine = Engine.build([CandidateProfile("arbetare", skills=["restaurangarbetare"]),
                           CandidateProfile("medarbetare", skills=["restaurangmedarbetare"])],
                          Vocabulary.load(ontology=ontology))
    ranked = engine.rank(VacancyProfile("v", required_skills=["Restaurangpersonal"]))
    assert [m.candidate_id for m in ranked] == ["medarbetare", "arbetare"]


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.sampled_from([
    "städare", "nattstädare", "lokalvårdare", "butikspersonal", "butiksmedarbetare",
    "sortimentutvecklare", "systemutvecklare", "köksbiträde", "köskbiträde", "kock",
    "hundpromenader", "lagerarbetare", "städare nattskift", "kock storhushåll",
    "eventssäljare", "sortimentsutveckare"]), min_size=1, max_size=12, unique=True),
    split=st.integers(0, 12), wanted=st.sampled_from([
        "Städare", "Butiksmedarbetare", "Sortimentsutvecklare", "Köksbiträde", "Kock",
        "Eventsäljare"]))
def test_form_index_adds_up_incrementally(texts: list[str], split: int, wanted: str) -> None:
    """Scoring the forms added since an earlier call gives what scoring them all at once does,
    and both equal the definition, form by form."""
    vocab = Vocabulary.default()
    model = vocab.ngram_model()
    own = form(wanted)
    w = Wanted.of([own], vocab.head_swaps(own), model, wanted)
    index = FormIndex(lambda: model)
    for i, text in enumerate(texts[:split]):
        index.add(i, form(text), " ".join(lower_words(text)))
    first = index.scores(w)
    for i, text in enumerate(texts[split:], start=split):
        index.add(i, form(text), " ".join(lower_words(text)))
    later = index.scores(w, since=min(split, len(texts)))
    whole = FormIndex(lambda: model)
    for i, text in enumerate(texts):
        whole.add(i, form(text), " ".join(lower_words(text)))
    assert {**first, **later} == pytest.approx(whole.scores(w))
    for i, text in enumerate(texts):
        expected = _score(model, wanted, text, vocab.head_swaps(own))
        assert whole.scores(w).get(i, 0.0) == pytest.approx(expected)


def test_engine_ranks_the_variant_of_an_unknown_title_first() -> None:
    """Neither title is in the vocabulary: the floor finds the plural and the slip."""
    engine = Engine.build([
        CandidateProfile("plural", skills=["studiekoordinatorer"]),
        CandidateProfile("slip", skills=["studiekordinator"]),
        CandidateProfile("other", skills=["projektkoordinator"]),
        CandidateProfile("head", skills=["koordinator"]),
    ])
    ranked = engine.rank(VacancyProfile("v", required_skills=["Studiekoordinator"]))
    assert [m.candidate_id for m in ranked][:2] == ["plural", "slip"]
    scores = {m.candidate_id: m.score for m in ranked}
    assert scores["plural"] > scores["slip"] > scores.get("other", 0.0)


def test_a_c_plus_plus_developer_is_not_a_c_sharp_one() -> None:
    engine = Engine.build([
        CandidateProfile("c++", skills=["c++utvecklare"]),
        CandidateProfile("c#", skills=["C#-utvecklare"]),
        CandidateProfile("c", skills=["C-utvecklare"]),
    ])
    ranked = engine.rank(VacancyProfile("v", required_skills=["C++-utvecklare"]))
    scores = {m.candidate_id: m.score for m in ranked}
    assert scores["c++"] == 1.0
    assert scores.get("c#", 0.0) < 0.9
    assert scores.get("c", 0.0) < 0.9


def test_few_forms_get_the_vectors_scikit_learn_gives(model: NgramModel) -> None:
    """A query's vectors are computed without scikit-learn; they must be the same vectors."""
    forms = ["stadare", "butiksmedarbet", "a", "vd", "studieochyrkesvagled", "kock  x", "ærø",
             "ab" * 70]  # (an n-gram more than 64 times: the term frequency by numpy's log)
    many = model.vectors(forms * 3)[: len(forms)]  # more than the small path takes
    assert abs(model.vectors(forms) - many).max() < 1e-12
    assert model.vectors(forms).nnz == many.nnz


def _column_sums_numpy(matrix, columns, weights):
    """The numpy code the compiled sums replaced: the rows asked for gathered in one pass
    and summed per column by bincount."""
    starts = matrix.indptr[columns].astype(np.int64)
    lengths = matrix.indptr[columns + 1] - starts
    total = int(lengths.sum())
    if not total:
        return np.zeros(matrix.shape[1])
    before = np.cumsum(lengths) - lengths  # where each row's entries begin in the gather
    at = np.arange(total) + np.repeat(starts - before, lengths)
    sums = np.bincount(matrix.indices[at], weights=matrix.data[at] * np.repeat(weights, lengths),
                       minlength=matrix.shape[1])
    return sums.astype(np.float64, copy=False)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(st.tuples(st.integers(0, 29), st.floats(0.01, 1.0)), max_size=8),
                     min_size=1, max_size=12),
       queries=st.lists(st.lists(st.integers(0, 11), min_size=1, max_size=6, unique=True),
                        min_size=1, max_size=3),
       start=st.integers(-3, 32), threshold=st.floats(0.0, 1.0))
def test_near_cosines_are_the_numpy_sums_to_the_bit(
        rows: list[list[tuple[int, float]]], queries: list[list[int]], start: int,
        threshold: float) -> None:
    """The compiled cosines of a block: per query the rows' weighted sums as numpy's bincount
    adds them (the same floats), the best over the queries, the columns from ``start`` that
    reach the threshold."""
    dense = np.zeros((len(rows), 30))
    for i, entries in enumerate(rows):
        for j, value in entries:
            dense[i, j] = value
    matrix = sp.csr_matrix(dense)
    picked = [np.array(sorted(p for p in q if p < len(rows)) or [0], np.int32) for q in queries]
    weights = [np.linspace(0.1, 0.9, len(columns)) for columns in picked]
    best = _column_sums_numpy(matrix, picked[0], weights[0])
    for columns, weight in zip(picked[1:], weights[1:], strict=True):
        best = np.maximum(best, _column_sums_numpy(matrix, columns, weight))
    expected = [c for c in range(max(start, 0), 30) if best[c] >= threshold]

    keep, values = kernels.near_cosines(
        matrix.indptr, matrix.indices, matrix.data, np.concatenate(picked),
        np.concatenate(weights), np.cumsum([0, *map(len, picked)]), 30, start, threshold)
    assert keep.tolist() == expected
    assert values.tobytes() == best[expected].tobytes()
    for columns, weight in zip(picked, weights, strict=True):
        assert np.allclose(best, np.maximum(best, weight @ dense[columns]))


@settings(max_examples=300, deadline=None)
@given(codes=st.lists(st.tuples(*[st.integers(-1, 40)] * 4), min_size=1, max_size=20),
       slips=st.lists(st.tuples(st.integers(-1, 40), st.integers(0, 10)), max_size=4),
       starts=st.lists(st.tuples(st.integers(-1, 40), st.integers(0, 10)), max_size=3),
       seconds=st.lists(st.tuples(st.integers(-1, 40), st.integers(0, 10)), max_size=3))
def test_prefilters_test_starts_and_second_codes_against_their_ranges(
        codes: list[tuple[int, int, int, int]], slips: list[tuple[int, int]],
        starts: list[tuple[int, int]], seconds: list[tuple[int, int]]) -> None:
    def closed(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(low, low + width) for low, width in ranges]

    def within(values: tuple[int, ...], ranges: list[tuple[int, int]]) -> bool:
        return any(low <= v <= high for v in values for low, high in ranges)

    rows = np.array(codes, np.int64).T
    slip, first = _prefilters(rows, closed(slips), closed(starts), closed(seconds))
    assert slip.tolist() == [within(c[:2], closed(slips)) for c in codes]
    assert first.tolist() == [within(c[:2], closed(starts)) or within(c[2:], closed(seconds))
                              for c in codes]


def test_second_code_is_the_second_letter_and_the_capped_length() -> None:
    assert _second_code("säljare") == ord("ä") << 10 | 7
    assert _second_code("s") == -1
    assert _second_code("a" * 2000) & 1023 == 1023


@settings(max_examples=300, deadline=None)
@given(text=st.text("abs", max_size=8), heads=st.sets(st.text("abs", max_size=4), max_size=8))
def test_suffixes_in_meets_the_heads_a_longest_first_scan_meets(text: str,
                                                               heads: set[str]) -> None:
    scan = [h for h in sorted(heads, key=len, reverse=True) if text.endswith(h)]
    assert list(suffixes_in(text, heads, max(map(len, heads), default=0))) == scan


def test_a_wanted_text_lists_its_slip_texts_once_with_their_budgets(model: NgramModel) -> None:
    wanted = Wanted.of([form("Studie- och yrkesvägledare")], [], model,
                       "Studie- och yrkesvägledare")
    assert wanted.slips == ((form("Studie- och yrkesvägledare"), 2, False),
                            ("studieochyrkesvagledare", 2, True), ("yrkesvagledare", 2, True))
    assert Wanted.of([form("Vd")], [], model, "Vd").slips == ()  # too short to slip


@pytest.mark.parametrize(("wanted_text", "offered_text"),
                         [("Ingenjör", "ingenior"), ("Säljare", "äljare"),
                          ("Kontorsansvarig", "kontorsansvarig säljare"), ("Vd", "vd:n")])
def test_score_with_the_folded_spelling_given_is_the_same(
        model: NgramModel, wanted_text: str, offered_text: str) -> None:
    own, other = form(wanted_text), form(offered_text)
    wanted = Wanted.of([own], [], model, wanted_text)
    spelling = " ".join(lower_words(offered_text))
    cosine = float((model.vectors([own]) @ model.vectors([other]).T).toarray()[0, 0])
    folded = "".join(spelling.split()).replace("ö", "o").replace("ä", "a")
    assert score(wanted, other, cosine, spelling, folded=folded) == score(
        wanted, other, cosine, spelling) > 0


@pytest.mark.parametrize("text", ["stadare", "kockkockkock", "a" * 40, "", "ab" * 70])
def test_a_forms_vector_takes_the_term_frequency_numpy_gives(model: NgramModel,
                                                             text: str) -> None:
    """The table of 1 + log(n) is numpy's own: the vector is the same to the bit."""
    columns, values = model.features(text)
    vector = model.vectors([text, *["x"] * 20])[0]  # scikit-learn's path
    assert columns.tolist() == sorted(vector.indices.tolist())
    assert np.allclose(values, vector.toarray()[0, columns], rtol=0, atol=1e-12)
    assert (np.log(np.arange(1, 65, dtype=np.float64)) + 1.0).tolist() == _SUBLINEAR


@settings(max_examples=300, deadline=None)
@given(text=st.text("aåäöÅÄÖo e", max_size=12))
def test_marks_are_the_texts_lowercase_a_ring_a_and_o_umlauts_sorted(text: str) -> None:
    assert marks(text) == "".join(sorted(ch for ch in text if ch in "åäö"))


def test_the_index_finds_every_specialisation_of_a_wanted_form(model: NgramModel) -> None:
    index = FormIndex(lambda: model)
    forms = ["nattstadare", "stadare", "hotellstadare", "nattstadare", "stadchef", "adare"]
    for key_id, text in enumerate(forms):
        index.add(key_id, text)
    wanted = Wanted.of(["stadare"], [], model, "städare")
    found = index._candidates(wanted)
    assert {p for p in found if forms[p].endswith("stadare")} == {0, 1, 2, 3}
    assert 4 not in found
