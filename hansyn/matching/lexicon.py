"""Hand-written Swedish labour-market lexicon used on top of the JobTech taxonomy.

Source: the authors' own knowledge of how Swedish job ads, CVs and case notes (Arbetsförmedlingen,
kommunal arbetsmarknadsenhet) write about skills, plus Transportstyrelsen's rules on which driving
licence classes include others and Skolverket's SFI course descriptions. Keep entries general
(words, heads, rules), not example phrases: the normaliser applies them to any compound.

Keys are written in plain Swedish; the vocabulary folds them (lowercase, å/ä/ö -> a/a/o) at load.
"""

from __future__ import annotations

from typing import Final

# Groups of interchangeable words. A group is applied both to whole words and to compound heads
# ("busschaufför" -> "bussförare"), so list only words that really substitute for each other.
SYNONYM_HEADS: Final[tuple[tuple[str, ...], ...]] = (
    ("förare", "chaufför", "chauffeur", "chaffis"),
    ("lokalvårdare", "städare", "städerska", "städpersonal", "lokalvårdspersonal"),
    ("lokalvård", "städning", "lokalvårdsarbete", "städarbete"),
    ("medarbetare", "personal", "anställd", "arbetare"),
    ("specialist", "expert"),
    ("biträde", "assistent", "medhjälpare", "assistant"),
    ("kock", "kokerska", "kockerska"),
    ("sjuksköterska", "sköterska", "sjukskötare"),
    ("undersköterska", "underskötare"),
    ("vårdbiträde", "vårdassistent"),
    ("säljare", "försäljare", "försäljningsmedarbetare"),
    ("lagerarbetare", "lagerpersonal", "lagermedarbetare", "lagerist"),
    ("vaktmästare", "fastighetsskötare", "fastighetsarbetare"),
    ("snickare", "träarbetare"),
    ("frisör", "hårfrisör"),
    ("kassapersonal", "kassör", "kassörska", "kassabiträde", "kassamedarbetare"),
    ("kundtjänst", "kundservice", "kundsupport"),
    ("kundtjänstmedarbetare", "kundservicemedarbetare", "kundsupportmedarbetare"),
    ("diskare", "diskpersonal", "diskbiträde"),
    ("servitör", "servitris", "serveringspersonal"),
    ("lärare", "pedagog"),
    ("tolk", "språktolk"),
    # English heads that Swedish job ads compound with Swedish first parts ("javadeveloper",
    # "it-technician"): the English word for the same work
    ("utvecklare", "developer", "programmerare", "programmer"),
    ("ingenjör", "engineer"),
    ("tekniker", "technician"),
    ("analytiker", "analyst"),
    ("arkitekt", "architect"),
)

# Words and phrases from English, abbreviations and colloquial forms, mapped to Swedish text that is
# normalised again. Keys are matched on whole words (longest phrase first).
PHRASES: Final[dict[str, str]] = {
    # English
    "cleaner": "städare",
    "cleaning": "städning",
    "janitor": "vaktmästare",
    "caretaker": "fastighetsskötare",
    "driver": "förare",
    "truck driver": "lastbilsförare",
    "bus driver": "bussförare",
    "taxi driver": "taxiförare",
    "delivery driver": "budbilsförare",
    "forklift": "truckvana",
    "forklift truck": "truckvana",
    "forklift driver": "truckförare",
    "forklift operator": "truckförare",
    "forklift licence": "truckkort",
    "forklift license": "truckkort",
    "forklift certificate": "truckkort",
    "driving licence": "körkort",
    "driving license": "körkort",
    "driver licence": "körkort",
    "driver license": "körkort",
    "drivers licence": "körkort",
    "driver s licence": "körkort",
    "driver s license": "körkort",
    "drivers license": "körkort",
    "licence": "körkort",
    "license": "körkort",
    "cook": "kock",
    "chef": "kock",
    "kitchen assistant": "köksbiträde",
    "kitchen porter": "diskare",
    "dishwasher": "diskare",
    "waiter": "servitör",
    "waitress": "servitris",
    "nurse": "sjuksköterska",
    "nurse assistant": "undersköterska",
    "assistant nurse": "undersköterska",
    "nursing assistant": "undersköterska",
    "nurse aide": "undersköterska",
    "care assistant": "vårdbiträde",
    "care worker": "vårdbiträde",
    "personal assistant": "personlig assistent",
    "warehouse worker": "lagerarbetare",
    "warehouse": "lager",
    "welder": "svetsare",
    "welding": "svetsning",
    "carpenter": "snickare",
    "painter": "målare",
    "electrician": "elektriker",
    "baker": "bagare",
    "hairdresser": "frisör",
    "cashier": "kassapersonal",
    "customer service": "kundtjänst",
    "sales": "försäljning",
    "salesperson": "säljare",
    "security guard": "väktare",
    "childcare": "barnomsorg",
    "preschool teacher": "förskollärare",
    "teacher": "lärare",
    "gardener": "trädgårdsarbetare",
    "mechanic": "mekaniker",
    "receptionist": "receptionist",
    "interpreter": "tolk",
    "swedish": "svenska",
    "english": "engelska",
    "arabic": "arabiska",
    "somali": "somaliska",
    "persian": "persiska",
    "farsi": "persiska",
    "dari": "dari",
    "tigrinya": "tigrinja",
    "kurdish": "kurdiska",
    "turkish": "turkiska",
    "polish": "polska",
    "finnish": "finska",
    "spanish": "spanska",
    "german": "tyska",
    "french": "franska",
    "russian": "ryska",
    "ukrainian": "ukrainska",
    "bosnian": "bosniska",
    # More English occupation words (common in CVs of newly arrived job seekers)
    "plumber": "vvs-montör",
    "excavator": "grävmaskin",
    "digger": "grävmaskin",
    "crane": "kran",
    "wheel loader": "hjullastare",
    "machine operator": "maskinoperatör",
    "security officer": "väktare",
    "guard": "väktare",
    "bouncer": "ordningsvakt",
    "doorman": "ordningsvakt",
    "parking attendant": "parkeringsvakt",
    "traffic warden": "parkeringsvakt",
    "postman": "brevbärare",
    "mail carrier": "brevbärare",
    "postal worker": "brevbärare",
    "fisherman": "fiskare",
    "farmer": "lantbrukare",
    "registered nurse": "sjuksköterska",
    "dental nurse": "tandsköterska",
    "midwife": "barnmorska",
    "doctor": "läkare",
    "physician": "läkare",
    "accounting assistant": "ekonomiassistent",
    "finance assistant": "ekonomiassistent",
    "housekeeper": "hotellstädare",
    "room attendant": "hotellstädare",
    "first aid": "första hjälpen",
    "cpr": "hlr",
    "hot work": "heta arbeten",
    "fall protection": "fallskydd",
    "butcher": "slaktare",
    "tailor": "skräddare",
    "seamstress": "sömmerska",
    "dry cleaner": "kemtvättare",
    "laundry worker": "tvätteriarbetare",
    "bricklayer": "murare",
    "mason": "murare",
    "tiler": "plattsättare",
    "floor layer": "golvläggare",
    "scaffolder": "ställningsbyggare",
    "concrete worker": "betongarbetare",
    "assembler": "montör",
    "packer": "packare",
    "order picker": "lagerarbetare",
    "courier": "budbilsförare",
    "mover": "flyttkarl",
    "groundskeeper": "parkarbetare",
    "support worker": "stödassistent",
    "social worker": "socialsekreterare",
    "youth worker": "fritidsledare",
    "teaching assistant": "elevassistent",
    "teacher assistant": "elevassistent",
    "childminder": "dagbarnvårdare",
    "sales assistant": "butikssäljare",
    "shop assistant": "butikssäljare",
    "head chef": "kökschef",
    "sous chef": "kock",
    "kitchen manager": "kökschef",
    "joiner": "snickare",
    "car mechanic": "bilmekaniker",
    "lorry driver": "lastbilsförare",
    "van driver": "budbilsförare",
    "translator": "översättare",
    "telemarketer": "telefonförsäljare",
    "call centre": "kundtjänst",
    "call center": "kundtjänst",
    "customer support": "kundtjänst",
    # English compound modifiers: "office cleaner" -> "kontor städare" -> kontorsstädare
    "office": "kontor",
    "hotel": "hotell",
    "kitchen": "kök",
    "restaurant": "restaurang",
    "school": "skol",
    "hospital": "sjukhus",
    "construction": "bygg",
    "building": "bygg",
    "home care": "hemtjänst",
    "elderly care": "äldreomsorg",
    "childcare worker": "barnskötare",
    "assistant": "assistent",
    "worker": "arbetare",
    "operator": "operatör",
    "technician": "tekniker",
    "manager": "chef",
    "care": "vård",
    "bus": "buss",
    "car": "bil",
    "delivery": "bud",
    # Colloquial licence names
    "lastbilskort": "körkort c",
    "lastbilskörkort": "körkort c",
    "busskort": "körkort d",
    "busskörkort": "körkort d",
    "mopedkort": "körkort am",
    "mc kort": "körkort a",
    "mc körkort": "körkort a",
    "släpkort": "körkort be",
    "bilkort": "körkort b",
    # Swedish abbreviations and colloquial forms
    "usk": "undersköterska",
    "ssk": "sjuksköterska",
    "kk": "körkort",
    "körkortet": "körkort",
    "körkortsbehörighet": "körkort",
    "körkortsklass": "körkort",
    "svenska för invandrare": "sfi",
    "svenskundervisning för invandrare": "sfi",
    "sas": "svenska som andraspråk",
    "chaffis": "chaufför",
}

# Case-sensitive abbreviations, for the whole text only: folded, "PA" would be "på".
ACRONYMS: Final[dict[str, str]] = {
    "PA": "personlig assistent",
    "USK": "undersköterska",
    "SSK": "sjuksköterska",
    "BMA": "biomedicinsk analytiker",
    "HLR": "första hjälpen - hlr-intyg",
}

# Filler words around a skill in ads ("goda kunskaper i svenska", "erfarenhet av truckkörning");
# dropped when what remains is recognised.
FILLER: Final[frozenset[str]] = frozenset(
    {
        "erfarenhet", "erfarenheter", "kunskap", "kunskaper", "kunnig", "vana", "van", "vid", "av",
        "i", "inom", "som", "med", "och", "samt", "på", "tal", "skrift", "nivå", "nivån",
        "språk", "språket", "behärskar", "kan", "har", "krav", "meriterande", "önskvärt",
        "arbete", "arbeta", "jobb", "att", "en", "ett", "the", "of", "in", "experience", "with",
        "skills", "knowledge", "level", "required", "kurs", "klass", "typ", "giltigt", "giltig",
        "minst", "eller", "motsvarande", "and", "language", "speaking", "spoken", "written",
        "skill", "certificate", "certifikat", "tidigare", "lång", "gärna", "dokumenterad",
        "relevant", "praktisk", "god", "goda", "mycket", "bra", "stor", "utbildning", "intyg",
        "manuell", "manuellt", "automat", "automatväxlad", "talar", "pratar", "förstår",
        "skriver", "läser",
    }
)

# Words for knowing or having done something that ads join to a skill as a compound's head:
# "excelkunskaper", "svetserfarenhet", "ledarskapskompetens" are Excel, svetsning (the verb
# stem's -ning noun) and ledarskap, when that part is a label or alias (longest tail first).
KNOWLEDGE_TAILS: Final[tuple[str, ...]] = (
    "kunskaper", "kunskap", "erfarenheter", "erfarenhet", "kompetens", "färdigheter",
    "färdighet", "kännedom", "vana",
)

# Words for a language level (taxonomy levels Lite/Bra/Mycket bra/Flytande, plus Modersmål);
# only used when the text names a language ("goda kunskaper i svenska").
LEVEL_WORDS: Final[dict[str, str]] = {
    "lite": "Lite",
    "grundläggande": "Lite",
    "viss": "Lite",
    "begränsad": "Lite",
    "basic": "Lite",
    "bra": "Bra",
    "good": "Bra",
    "god": "Bra",
    "goda": "Bra",
    "mycket bra": "Mycket bra",
    "mycket god": "Mycket bra",
    "mycket goda": "Mycket bra",
    "very good": "Mycket bra",
    "flytande": "Flytande",
    "utmärkt": "Flytande",
    "utmärkta": "Flytande",
    "obehindrad": "Flytande",
    "fluent": "Flytande",
    "modersmål": "Modersmål",
    "modersmålsnivå": "Modersmål",
    "native": "Modersmål",
    "mother tongue": "Modersmål",
    "förstaspråk": "Modersmål",
}

# Driving licence classes (Transportstyrelsen). Each class lists the classes it directly includes;
# the vocabulary takes the transitive closure. "B96" is taxonomy's "Utökad B".
LICENCE_INCLUDES: Final[dict[str, tuple[str, ...]]] = {
    "AM": (),
    "A1": ("AM",),
    "A2": ("A1",),
    "A": ("A2",),
    "B": ("AM",),
    "B96": ("B",),
    "BE": ("B96",),
    "C1": ("B",),
    "C1E": ("C1", "BE"),
    "C": ("C1",),
    "CE": ("C", "C1E"),
    "D1": ("B",),
    "D1E": ("D1", "BE"),
    "D": ("D1",),
    "DE": ("D", "D1E"),
}

# Truck licence (TLP 10) classes and subclasses. A wanted main class is satisfied by its subclasses.
TRUCK_CLASSES: Final[tuple[str, ...]] = (
    "A", "A1", "A2", "A3", "A4", "B", "B1", "B2", "B3", "B4", "B5", "B6", "C", "D",
)

# Language levels on one ordinal scale (higher satisfies lower). CEFR is the reference; SFI courses
# follow Skolverket's course descriptions (A ~ A1-, B ~ A1, C ~ A2, D ~ B1); the taxonomy's levels
# are mapped as Lite ~ A2, Bra ~ B1, Mycket bra ~ B2, Flytande ~ C1, Modersmål ~ C2.
# Plain "SFI" (studying SFI, course unknown) ranks lowest.
LANGUAGE_LEVELS: Final[dict[str, int]] = {
    "SFI": 5,
    "SFI A": 8,
    "A1": 10,
    "SFI B": 10,
    "A2": 20,
    "SFI C": 20,
    "Lite": 20,
    "B1": 30,
    "SFI D": 30,
    "Bra": 30,
    "B2": 40,
    "Mycket bra": 40,
    "C1": 50,
    "Flytande": 50,
    "C2": 60,
    "Modersmål": 60,
}

# Concepts job ads use that the taxonomy lacks. Keys "x-<slug>" cannot collide with JobTech ids.
EXTRA_CONCEPTS: Final[tuple[tuple[str, str, str, tuple[str, ...]], ...]] = (
    ("skill", "x-lokalvard", "Lokalvård", ("lokalvårdsarbete",)),
    ("skill", "x-stadning", "Städning", ("städarbete",)),
    ("occupation", "x-underskoterska", "Undersköterska", ("usk",)),
    ("occupation", "x-kock", "Kock", ()),
    ("occupation", "x-lastbilsforare", "Lastbilsförare", ("lastbilschaufför", "lastbilsförare")),
    ("skill", "x-kundservice", "Kundservice", ()),
    ("skill", "x-svetsning", "Svetsning", ()),
    ("skill", "x-servering", "Servering", ()),
    ("skill", "x-matlagning", "Matlagning", ()),
    ("skill", "x-lagerarbete", "Lagerarbete", ("lagerhantering", "plock och pack")),
    ("skill", "x-datorvana", "Datorvana", ("datorkunskap", "datorkunskaper", "it-vana")),
    ("skill", "x-id06", "ID06", ("id06-kort",)),
    ("occupation", "x-forare", "Förare/Chaufför", ()),
)

# Extra surface forms for taxonomy concepts, by preferred label.
ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "Truckvana": ("truck", "truckkörning", "truckarbete"),
    "Första hjälpen - HLR-intyg": ("hlr", "hlr-intyg", "hlr-utbildning", "hjärt-lungräddning"),
    "Utbildning i livsmedelshygien": ("hygienutbildning", "hygienkort", "hygienintyg"),
    "Utbildning på motorsåg": ("motorsågskort", "motorsågskörkort", "motorsågsutbildning"),
    "Kassapersonal": ("kassa", "kassaarbete"),
    "Hemtjänst": ("hemtjänstarbete",),
    "Barnskötare": ("barnskötsel",),
    "MS Office": ("office-paketet", "office 365"),  # "Microsoft Office": see _vendor_free
}

# Near concepts by label (taxonomy or extra), with the similarity of a match between them;
# each pair works both ways.
RELATED_LABELS: Final[tuple[tuple[str, str, float], ...]] = (
    ("Lokalvård", "Städning", 0.9),
    ("Lokalvård", "Städare/Lokalvårdare", 0.8),
    ("Städning", "Städare/Lokalvårdare", 0.8),
    ("Undersköterska", "Undersköterska, hemtjänst, äldreboende och habilitering", 0.95),
    ("Undersköterska", "Undersköterska, vård- och specialavdelning och mottagning", 0.95),
    ("Kock", "Kock, storhushåll", 0.95),
    ("Kock", "Kock, à la carte", 0.95),
    ("Kock", "Kock, fartyg", 0.9),
    ("Kock", "Matlagning", 0.7),
    ("Lastbilsförare", "Distributionsförare", 0.9),
    ("Lastbilsförare", "Fjärrbilsförare", 0.9),
    ("Lagerarbete", "Lagerarbetare", 0.8),
    ("Lagerarbete", "Terminal- och lagerarbete", 0.9),
    ("Kundservice", "Kundtjänst", 0.9),
    ("Truckförare", "Truckvana", 0.8),
)

# One-way: (wanted, holder, similarity) where the holder satisfies the wanted concept but not the
# reverse (an undersköterska can work as vårdbiträde; since 2023 the title is protected).
SATISFIES: Final[tuple[tuple[str, str, float], ...]] = (
    ("Vårdbiträde", "Undersköterska", 0.8),
    ("Vårdbiträde", "Undersköterska, hemtjänst, äldreboende och habilitering", 0.8),
    ("Vårdbiträde", "Undersköterska, vård- och specialavdelning och mottagning", 0.8),
    ("Städning", "Städare/Lokalvårdare", 0.9),
)
