"""Graded similarity between a wanted text and every distinct offered form: the floor under the
vocabulary's exact, compound and synonym keys.

Every offered skill text has a *form* (:func:`hansyn.matching.swedish.form`: words stemmed,
folded and joined) and a *spelling* (its words joined, lowercase). A wanted text is compared with
each by these rules; the best one counts:

===========================  ========================================================  ==========
rule                         example (wanted <- offered)                               score
===========================  ========================================================  ==========
same form                    Undersköterska <- undersköterskorna                       1
same form, other diacritics  Matkonsult <- mätkonsulter                                0.95
spelling slip                Administratör <- adminstratörer, Ingenjör <- ingenior     0.95, 0.9 ·c
same sound (not a word)      Kock <- kokk, Chaufför <- schaufför                       0.95 ·c
first letter (not a word)    Säljare <- äljare, äsljare; Simledare <- timledare        0.9 ·c
... added (not a word)       Rostare <- frostare                                       0.9 ·c
... and one more slip        Rostare <- frostade (dropped, added or swapped first)     0.85 ·c
other gender's title         Lärare <- lärarinna, Städare <- städerska                 0.9 ·c
inflection ending            Vd <- vd:n, Mentor <- mentorn                             0.95 ·c
linking s added or dropped   Eventsäljare <- eventssäljare                             0.97 ·c
the title, then more words   Kontorsansvarig <- kontorsansvarig säljare                0.8 ·c
last conjunct                Studie- och yrkesvägledare <- yrkesvägledare              0.95 ·c
synonymous head swapped      Butiksmedarbetare <- butikspersonal                       σ ·c
offered is a specialisation  Städare <- nattstädare                                    0.8 · σ ·c
offered is the generic head  Nattstädare <- städare                                    0.5 · σ ·c
character n-grams            Sortimentsutvecklare <- sortimentutvecklare               0.8 · cos
===========================  ========================================================  ==========

A spelling slip is one or two edits (optimal string alignment, a transposition counts once)
between the forms or between the spellings (a misspelled word often escapes the stemmer:
"ingenior" is stemmed to "ingeni"), within :func:`slip_budget` of the wanted text as written
(none up to 4 letters, one up to 6, then two), with the first letter in common (the first
three for two edits), between texts that share at least :data:`TYPO_COSINE` of n-grams (which
is how the index finds them); two texts the vocabulary knows as words are never slips of one
another, nor is a compound whose head has letters changed into another word of the
vocabulary's labels ("anläggningslärare" for Anläggningsförare; a dropped or added letter
still is a slip). The sound and first-letter rules (:func:`_misspelt`) reach what no edit
budget may ("kokk", "äljare") and so apply only to offered texts the vocabulary does not
know. σ is 1 for the text's own form and the swap's similarity for a swapped head. ·c is
:func:`closeness`: within one rule the closer wording ranks first (a factor 0.95-1 by the
n-gram cosine), so ties between, say, many specialisations of a generic title
are broken by a stated, meaningful rule. The n-gram rule is the cosine of character 2-4-gram
TF-IDF vectors (scikit-learn's ``HashingVectorizer`` with IDF weights from the vocabulary's own
forms, so a form's vector never depends on the tenant), counted from :data:`MIN_COSINE` up.
A vocabulary match in another wording than the wanted text's (a synonym the vocabulary knows)
is :func:`reworded`: 0.85-0.9 times its similarity by the same cosine, so the wanted wording
and its one-edit slips come before the synonyms. So an exact or specific match always beats a
generic one, and a spelling slip beats a different compound with the same head.

:func:`score` is the definition; :class:`FormIndex` finds the forms worth scoring without
looking at every one (a dict of forms and of spellings, a sorted list of reversed forms for the
heads, a sparse n-gram matrix; :mod:`hansyn.matching.forms`), and scores them with :func:`score`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from hansyn.matching import swedish
from hansyn.matching.ngrams import NgramModel, Vector
from hansyn.matching.swedish import (
    feminine_forms,
    fold,
    fold_word,
    lower_words,
    marks,
    qualified,
    sound,
    stem,
)

__all__ = [
    "FLOOR_WEIGHT",
    "GENERIC",
    "MIN_COSINE",
    "REWORDED",
    "SPECIFIC",
    "Wanted",
    "closeness",
    "reworded",
    "score",
]

SPECIFIC = 0.8  # the offered compound ends with the wanted form: a specialisation of it
GENERIC = 0.5  # the wanted compound ends with the offered form: the offered one is generic
FLOOR_WEIGHT = 0.8  # the n-gram rule's score is this times the cosine
MIN_COSINE = 0.4
TYPO = {1: 0.95, 2: 0.9}  # a spelling slip of the wanted text, by edit distance
INFLECTED = 0.95  # the wanted word with an inflection ending, or the reverse
LINKING = 0.97  # an s added or dropped inside ("eventssäljare" for Eventsäljare): the
# linking -s- of Swedish compounds varies, so it is less of a slip than another letter
SOUND = 0.95  # spelt otherwise but sounding the same ("kokk" for Kock): a slip at any length
FIRST_LETTER = 0.9  # a slip of the first letter: dropped ("äljare" for Säljare), swapped
# with the second ("äsljare") or another letter ("timledare" for Simledare)
FIRST_AND_SLIP = 0.85  # a slip of the first letter and one more ("frostade" for Rostare)
FEMININE = 0.9  # the other gender's title (lärarinna for Lärare, städerska for Städare)
MIN_SOUND = 3  # letters a sound needs to be compared
MIN_FIRST_LETTER = 6  # letters a wanted form or spelling needs before its first may slip
MIN_OTHER_FIRST = 8  # ... before its first may be another letter (rostare/bostare may not)
# endings of Swedish nouns (indefinite and definite, singular and plural, genitive)
INFLECTIONS = frozenset({"n", "en", "et", "na", "ar", "er", "or", "arna", "erna", "orna",
                         "s", "ns", "ens", "ets", "ars", "ers", "ors", "nas", "arnas",
                         "ernas", "ornas"})
CLOSENESS = 0.05  # how much the n-gram cosine orders matches within one rule
CONJUNCT = 0.95  # the last conjunct of "Studie- och yrkesvägledare" (yrkesvägledare)
STAFF = 0.85  # the title with a word for staff after it: receptionistpersonal for Receptionist
STAFF_HEADS = ("personal", "medarbetare", "arbetare", "anställd")  # the people who do it
_STAFF_FORMS = tuple(swedish.form(head) for head in STAFF_HEADS)
REWORDED = 0.85  # a vocabulary match by another wording: 0.85-0.9 times its similarity,
REWORDED_TOP = 0.9  # below a one-edit slip (0.95 times the least closeness, 0.9025)
TYPO_COSINE = 0.2  # ... among forms with at least this n-gram overlap
MIN_HEAD = 3  # a head or the part before it has at least this many letters


@dataclass(slots=True)
class Wanted:
    """What a wanted text is compared by: its forms with their weight σ, and n-gram vectors
    of its own forms (weight 1)."""

    forms: dict[str, float]
    vectors: tuple[Vector, ...]
    own: tuple[str, ...] = ()
    budget: int = 0  # edits a spelling slip may have: by the length of the text as written
    spelling: str = ""  # the text as written: words joined, folded
    joined: str = ""  # ... words joined, lowercase, diacritics kept (see _same_head)
    qualified: bool = False  # a qualifying phrase follows the title ("Städare inom vård")
    marks: str = ""  # the å, ä and ö it has
    conjunct: str = ""  # "yrkesvägledare" of "Studie- och yrkesvägledare", folded
    known: bool = False  # the vocabulary knows the text as a label or alias
    # its first word is one of several and too short for a slip ("hr" of "Hr-specialist"):
    # its first letter may not slip either ("pr-specialist" is another title)
    short_start: bool = False
    # its own forms and spelling with the first letter dropped or swapped with the second
    cut: frozenset[str] = frozenset()
    tails: frozenset[str] = frozenset()  # ... and what follows the first letter
    sounds: frozenset[str] = frozenset()  # how its own forms and spelling sound
    linked: frozenset[str] = frozenset()  # its own forms and spelling with an s inside
    # added or dropped (see LINKING)
    # (text, edit budget, whether it is compared with the offered spelling, not the form)
    # of each wanted text a spelling slip is judged on (see slip), budget > 0: worked out
    # once per wanted text, not per offered form
    slips: tuple[tuple[str, int, bool], ...] = ()
    # ... and of the last word of a text of several, whose slip is the generic head
    # misspelt ("asistent" for Personlig assistent: see head_slip)
    heads: tuple[tuple[str, int, bool], ...] = ()
    # its spelling cut before a head the vocabulary knows as a word, (first part, head): an
    # offered spelling with another known word after that first part is another word, not a
    # slip ("anläggningslärare" for Anläggningsförare: see slip); and those words, folded
    head_splits: tuple[tuple[str, str], ...] = ()
    head_words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, own: Iterable[str], swaps: Iterable[tuple[str, float]],
           model: NgramModel, written: str = "", known: bool = False,
           head_words: frozenset[str] = frozenset()) -> Wanted:
        forms: dict[str, float] = {}
        for f in own:
            if f:
                forms[f] = 1.0
        mine = list(forms)
        words = lower_words(written)
        feminine = [(f, FEMININE) for f in feminine_forms(words)]
        for f, sim in (*swaps, *feminine):
            if f and sim > forms.get(f, 0.0):
                forms[f] = sim
        vectors = tuple(model.features(f) for f in mine)
        joined = "".join(words)
        spelling = fold(joined)
        letters = spelling or max(mine, key=len, default="")
        conjunct = last_conjunct(written)
        if conjunct:
            head = swedish.form(conjunct)
            forms[head] = max(forms.get(head, 0.0), CONJUNCT)
        texts = [*mine, spelling] if spelling else mine
        short_start = len(words) > 1 and slip_budget(words[0]) == 0
        starts = [] if short_start else texts  # whose first letter may slip
        long_enough = [t for t in starts if len(t) >= MIN_FIRST_LETTER]
        cut = {t[1:] for t in long_enough} | {t[1] + t[0] + t[2:] for t in long_enough}
        tails = {t[1:] for t in starts if len(t) >= MIN_OTHER_FIRST}
        sounds = {sound(t) for t in texts if len(t) >= MIN_SOUND}
        linked = {v for t in texts for v in linking_variants(t)}
        conjunct_folded = fold("".join(lower_words(conjunct)))
        return cls(forms, vectors, tuple(mine), slip_budget(letters), spelling, joined,
                   qualified(words), marks(joined), conjunct_folded, known, short_start,
                   frozenset(cut), frozenset(tails), frozenset(sounds), frozenset(linked),
                   _slip_texts(mine, slip_budget(letters), (spelling, conjunct_folded)),
                   _head_texts(words), _head_splits(spelling, head_words), head_words)


def _head_splits(spelling: str, head_words: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """:attr:`Wanted.head_splits`: the spelling cut before each known word it ends with."""
    return tuple((spelling[:start], spelling[start:])
                 for start in range(MIN_HEAD, len(spelling) - MIN_HEAD + 1)
                 if spelling[start:] in head_words)


def _slip_texts(own: Sequence[str], budget: int,
                spellings: Sequence[str]) -> tuple[tuple[str, int, bool], ...]:
    """:attr:`Wanted.slips`: its own forms with the budget of the text as written, and its
    spelling and last conjunct each with its own."""
    pairs = [(form, budget, False) for form in own]
    pairs += [(text, slip_budget(text), True) for text in spellings if text]
    return tuple(pair for pair in pairs if pair[1] > 0)


def staff_of(offered: str) -> set[str]:
    """The titles whose staff an offered form names, folded: "receptionist" of
    receptionistpersonal, "itsupport" of it-supportmedarbetare, "kontor" of kontorsarbetare
    (see STAFF)."""
    found = set()
    for head in _STAFF_FORMS:
        if offered.endswith(head) and len(offered) - len(head) >= MIN_HEAD:
            title = offered[: -len(head)]
            found.add(title)
            if title.endswith("s"):
                found.add(title[:-1])
    return found


def _head_texts(words: Sequence[str]) -> tuple[tuple[str, int, bool], ...]:
    """:attr:`Wanted.heads`: the form and the folded spelling of the last of several words
    (not of a qualifying phrase: "Städare inom vård" has no head "vård"), with its budget."""
    if len(words) < 2 or qualified(words):
        return ()
    last, budget = words[-1], slip_budget(words[-1])
    return ((swedish.form(last), budget, False), (fold_word(last), budget, True)) \
        if budget > 0 else ()


def linking_variants(text: str) -> set[str]:
    """``text`` with an s added or dropped inside, at least MIN_HEAD letters from either end
    (where a compound's parts meet: "eventsäljare", "eventssäljare")."""
    inside = range(MIN_HEAD, len(text) - MIN_HEAD + 1)
    added = {text[:i] + "s" + text[i:] for i in inside}
    dropped = {text[:i] + text[i + 1:] for i in inside if text[i] == "s"
               and len(text) - i - 1 >= MIN_HEAD}
    return (added | dropped) - {text}


def leads(spelling: str) -> set[str]:
    """The first words of an offered text of several words, folded and joined, where at least
    MIN_HEAD letters of words follow: "försäljningsansvarig" of "försäljningsansvarig
    säljare", a title qualified by the words after it."""
    words = spelling.split()
    found = {fold("".join(words[:k])) for k in range(1, len(words))
             if len("".join(words[k:])) >= MIN_HEAD}
    return {lead for lead in found if len(lead) >= MIN_HEAD}


_ELLIPSIS = re.compile(r"\w-\s*(?:,\s*\w+-\s*)*(?:och|eller|samt|&|,)\s+(\w[\w ]*)$")


def last_conjunct(written: str) -> str:
    """The last conjunct of a title that shares its head by a hyphen ("Studie- och
    yrkesvägledare" is a studievägledare and a yrkesvägledare): "yrkesvägledare"."""
    found = _ELLIPSIS.search(written.strip().casefold())
    return found.group(1) if found else ""


def score(wanted: Wanted, offered: str, cosine: float, spelling: str = "",
          word: bool = False, folded: str | None = None) -> float:
    """How well ``offered`` (a form; ``spelling``: its text's words joined, lowercase, with
    diacritics; ``word``: the vocabulary knows it as a label or alias) satisfies ``wanted``:
    the best of the rules. Cosines below :data:`TYPO_COSINE` count as 0 (the index does not
    compute them)."""
    if cosine < TYPO_COSINE:
        cosine = 0.0
    best = FLOOR_WEIGHT * cosine if cosine >= MIN_COSINE else 0.0
    near = closeness(cosine)
    if folded is None:  # (a FormIndex passes the one it keeps)
        folded = fold("".join(spelling.split()))
    if cosine > 0 and not (word and wanted.known):
        distance = slip(wanted, offered, folded)
        if distance:
            best = max(best, TYPO[distance] * near)
    if cosine > 0 and not (word and wanted.known) and wanted.heads:
        distance = slip_of(wanted.heads, offered, folded)
        if distance:
            best = max(best, head_slip(distance, near))
    if not word:
        best = max(best, _misspelt(wanted, offered, folded, spelling) * near)
    if spelling and _inflected(wanted.spelling, folded):
        best = max(best, INFLECTED * near)
    if cosine > 0 and not (word and wanted.known) and (
            offered in wanted.linked or folded in wanted.linked):
        best = max(best, LINKING * near)
    if wanted.spelling and " " in spelling and wanted.spelling in leads(spelling):
        best = max(best, SPECIFIC * near)
    if wanted.spelling and not wanted.qualified and wanted.spelling in staff_of(offered):
        best = max(best, STAFF * near)
    words = spelling.split()
    joined = "".join(words)
    for form, sim in wanted.forms.items():
        # of its own form, a head must be one in the words as written too (_same_head), and
        # not the words of a qualifying phrase ("maskinförare inom lantbruk" is no Lantbrukare)
        written = wanted.joined if form in wanted.own and joined else ""
        if offered == form:
            same = sim == 1.0 and (not spelling or marks(spelling) == wanted.marks)
            best = max(best, sim if same else sim * TYPO[1] if sim == 1.0 else sim * near)
        elif _head_of(form, offered) and (not written or (
                (wanted.qualified or not qualified(words)) and _same_head(written, joined))):
            best = max(best, SPECIFIC * sim * near)
        elif _head_of(offered, form) and (not written or (
                (qualified(words) or not wanted.qualified) and _same_head(joined, written))):
            best = max(best, GENERIC * sim * near)
    if not word and cosine > 0 and best < FIRST_LETTER * near:  # (it can add no more)
        best = max(best, first_slip(wanted, offered, folded) * near)
    return min(best, 1.0)


def _misspelt(wanted: Wanted, offered: str, folded: str, spelling: str) -> float:
    """The misspellings an edit budget misses, of a text the vocabulary does not know (a
    known word is another word, not a slip: "ost" is no "rost" without its r): the same sound
    ("kokk" for Kock; å/ä/ö the wanted text lacks rule it out: "kökk") and a slip of the first
    letter, which the budget never allows (dropped: "äljare" for Säljare; swapped with the
    second: "äsljare"; another letter before seven or more the same: "timledare" for
    Simledare, not "bostare" for Rostare)."""
    texts = (offered, folded) if folded else (offered,)
    if any(t in wanted.cut or (len(t) >= MIN_OTHER_FIRST and t[1:] in wanted.tails)
           for t in texts):
        return FIRST_LETTER
    if set(marks(spelling)) <= set(wanted.marks) and any(
            len(t) >= MIN_SOUND and sound(t) in wanted.sounds for t in texts):
        return SOUND
    return 0.0


def first_slip(wanted: Wanted, offered: str, folded: str) -> float:
    """A slip of the first letter as :func:`_misspelt` allows it, or an added one ("frostare"
    for Rostare): FIRST_LETTER; a first letter dropped, added or swapped with the second and,
    within the wanted text's budget of two edits, one more slip elsewhere ("frostade"):
    FIRST_AND_SLIP (not with another first letter: "mentorsansvarig" is no
    "kontorsansvarig"); else 0."""
    best = 0.0
    for mine, theirs in _first_pairs(wanted, offered, folded):
        slips = _first_letter_slips(mine, theirs)
        if slips == 0:
            return FIRST_LETTER
        if slips == 1 and slip_budget(mine) >= 2:
            best = FIRST_AND_SLIP
        elif (len(mine) >= MIN_OTHER_FIRST and len(mine) == len(theirs)
              and mine[1:] == theirs[1:]):
            return FIRST_LETTER  # another first letter, nothing else
    return best


def _first_letter_slips(mine: str, theirs: str) -> int:
    """Slips besides the first letter (0, 1; 2 for more or none of it) when ``theirs`` is
    ``mine`` with its first letter dropped, another added before it, or swapped with the
    second. A slip after a dropped letter may not be at the start: dropped and another added
    is another first letter."""
    if mine[0] == theirs[0] or abs(len(mine) - len(theirs)) > 2:
        return 2
    slips = 2
    if theirs[0] == mine[1]:
        slips = OSA.distance(mine[1:], theirs, score_cutoff=1)
        if theirs[1] == mine[0]:
            swapped = theirs[1] + theirs[0] + theirs[2:]
            slips = min(slips, OSA.distance(mine, swapped, score_cutoff=1))
    if slips and theirs[1] == mine[0]:
        slips = min(slips, OSA.distance(mine, theirs[1:], score_cutoff=1))
    return slips


def _first_pairs(wanted: Wanted, offered: str, folded: str) -> list[tuple[str, str]]:
    """(wanted text, offered text) pairs a first-letter slip is judged on: the wanted forms
    against the offered form, the wanted spelling (and last conjunct) against the offered
    one, of MIN_FIRST_LETTER letters or more."""
    own = () if wanted.short_start else wanted.own
    pairs = ([(mine, offered) for mine in own if len(mine) >= MIN_FIRST_LETTER]
             if len(offered) >= 2 else [])
    if len(folded) >= 2:
        spellings = (wanted.conjunct,) if wanted.short_start else (wanted.spelling,
                                                                   wanted.conjunct)
        pairs += [(mine, folded) for mine in spellings if len(mine) >= MIN_FIRST_LETTER]
    return pairs


def slip_budget(letters: str) -> int:
    """Edits a spelling slip of a wanted text of this many letters may have: none up to 4
    (kock/kök), one up to 6, then two. More lenient than the vocabulary's typo budget
    (``swedish.allowed_edits``), since a slip here only ranks, it never picks a concept."""
    return 0 if len(letters) <= 4 else 1 if len(letters) <= 6 else 2


def closeness(cosine: float) -> float:
    """Within one rule, the closer wording ranks first: a factor from 1 - CLOSENESS (no
    n-grams in common) to 1 (the same n-grams)."""
    return 1.0 - CLOSENESS * (1.0 - min(cosine, 1.0))


def reworded(similarity: float, cosine: float) -> float:
    """A vocabulary match (same concept, or a related one) by another wording than the wanted
    text's own: below the same wording and its one-edit slips (a misspelt
    "fstighetsskötare" is the Fastighetsskötare asked for, a fastighetsarbetare the
    vocabulary counts as one is another wording), graded by how much of the wording it
    shares."""
    return similarity * (REWORDED + (REWORDED_TOP - REWORDED) * min(cosine, 1.0))


def slip(wanted: Wanted, offered: str, spelling: str) -> int:
    """Edits (1 or 2) between the wanted text and the offered one, by form or by spelling
    (a misspelled word often escapes the stemmer: "ingenior" is stemmed to "ingeni"); 0 when
    neither is a slip within the budget with the first letter (two edits: three) in common,
    or when the offered form is the wanted one with another head the vocabulary knows as a
    word ("anläggningslärare" is no slip of Anläggningsförare: lärare and förare are words)."""
    found = slip_of(wanted.slips, offered, spelling)
    return 0 if found and _another_head(wanted, spelling) else found


def _another_head(wanted: Wanted, spelling: str) -> bool:
    """``spelling`` is a first part of the wanted text's with another known word of the same
    length: letters changed, not a letter dropped or added, which makes another word of a
    misspelt one more often ("omvårdnadspersona" is a slip, "anläggningslärare" is not)."""
    for first, head in wanted.head_splits:
        if spelling.startswith(first):
            rest = spelling[len(first):]
            if len(rest) == len(head) and rest != head and rest in wanted.head_words:
                return True
    return False


def head_slip(distance: int, near: float) -> float:
    """The score of a slip of the wanted text's last word: its generic head, misspelt."""
    return GENERIC * TYPO[distance] * near


def slip_of(texts: Sequence[tuple[str, int, bool]], offered: str, spelling: str) -> int:
    """:func:`slip` against ``texts`` ((text, budget, compared with the spelling))."""
    found = 0
    for mine, budget, by_spelling in texts:
        theirs = spelling if by_spelling else offered
        if (by_spelling and not spelling) or abs(len(mine) - len(theirs)) > budget:
            continue
        distance = OSA.distance(mine, theirs, score_cutoff=budget)
        same_start = 1 if distance <= 1 else 3
        if 0 < distance <= budget and mine[:same_start] == theirs[:same_start]:
            found = distance if not found else min(found, distance)
    return found


def _inflected(mine: str, theirs: str) -> bool:
    """One text is the other with a Swedish inflection ending the stemmer cannot strip
    (short words and abbreviations: "vd" / "vd:n", "vdar"; "mentor" / "mentorn")."""
    if not mine or not theirs or mine == theirs:
        return False
    short, long_ = (mine, theirs) if len(mine) < len(theirs) else (theirs, mine)
    return long_.startswith(short) and long_[len(short):] in INFLECTIONS


def _head_of(head: str, compound: str) -> bool:
    """``compound`` is ``head`` with a first part of its own ("natt" + "städare")."""
    return (len(head) >= MIN_HEAD and len(compound) - len(head) >= MIN_HEAD
            and compound.endswith(head))


def _same_head(head: str, compound: str) -> bool:
    """``compound`` ends with a word that stems as ``head`` does (both lowercase, words
    joined): the check of a head found on forms. Two stems can end alike where the words do
    not ("kronofogden" is stemmed "kronofog", "fogare" "fog"; "mackbiträde" folded ends with
    the form of "trader"), so the end is stemmed on its own, and compared folded only when
    the compound has no å, ä or ö to tell them apart ("lokalvardare" typed without them).
    A wanted text typed without them then meets no specialisation that has them ("Stadare",
    "nattstädare"): on the dev half of the real job titles that costs less than folding
    both ("Lots" would have "fastighetsslötare", a misspelt fastighetsskötare)."""
    target = stem(head)
    loose = not marks(compound)
    # a stem keeps its word's first two letters (up to å/ä/ö: männen -> man) and is no
    # longer than it, so only the ends that start so are stemmed
    opening = fold_word(target[:2])
    for start in range(1, len(compound) - max(MIN_HEAD, len(target)) + 1):
        if fold_word(compound[start:start + 2]) == opening:
            end = stem(compound[start:])
            if end == target or (loose and fold_word(end) == fold_word(target)):
                return True
    return False


def learn_head_swaps(pairs: Iterable[tuple[str, str]],
                     min_support: int = 2) -> list[tuple[str, str]]:
    """Compound heads that job ads use for one another, learned from pairs of forms of one
    concept ("butiksmedarbetare"/"butikspersonal" -> medarbet/personal).

    A pair of heads counts when both forms share a first part of at least ``MIN_HEAD`` letters
    and differ in more than a spelling slip, and is kept when at least ``min_support``
    different first parts show it: a rule of the language, not one concept's quirk.
    """
    support: dict[tuple[str, str], set[str]] = {}
    for a, b in pairs:
        shared = 0
        while shared < min(len(a), len(b)) and a[shared] == b[shared]:
            shared += 1
        head_a, head_b = a[shared:], b[shared:]
        if shared < MIN_HEAD or min(len(head_a), len(head_b)) < MIN_HEAD:
            continue
        if OSA.distance(head_a, head_b) <= 2:
            continue
        support.setdefault((min(head_a, head_b), max(head_a, head_b)), set()).add(a[:shared])
    return sorted(pair for pair, firsts in support.items() if len(firsts) >= min_support)
