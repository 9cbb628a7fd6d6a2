"""Build the English names of the JobTech taxonomy's languages (``hansyn/tenants/labels/data``).

The taxonomy names its 435 languages in Swedish only. Each Swedish name is looked up among the
Swedish translations that pycountry ships for ISO 639-3 (languages) and ISO 639-5 (language
families), and among ISO's English names for names the same in both languages ("Hindi",
"Urdu"); a name with variants ("Tigrinja/Tigrinska", "Persiska (Farsi)") is tried part by part,
and a collective "X, andra" is ISO's X with "(other)". ``ENGLISH`` names the rest by hand and
replaces ISO names that English speakers do not use ("Pushto", "Romany"). Run once after the
taxonomy changes:

    .venv/bin/python tools/build_language_names.py

The output maps concept key → English name, sorted, so a rebuild on the same input is identical.
"""

from __future__ import annotations

import argparse
import gettext
import json
import re
import sys
from pathlib import Path

import pycountry

from hansyn.matching.vocabulary import Vocabulary

OUT = Path(__file__).resolve().parent.parent / "hansyn" / "tenants" / "labels" / "data"

# By hand: Swedish names pycountry does not translate, and ISO names replaced by the usual English.
ENGLISH = {
    "Abkhasiska": "Abkhazian",
    "Afro-asiatiska språk": "Afro-Asiatic languages",
    "Akinesiska": "Achinese",
    "Algokinspråk": "Algonquian languages",
    "Apachespråk": "Apache languages",
    "Araukiska": "Mapudungun",
    "Artificiella, andra språk": "Artificial languages (other)",
    "Arameiska": "Aramaic",
    "Assyriska": "Assyrian",
    "Baluchiska": "Balochi",
    "Athapaskspråk": "Athapascan languages",
    "Basa": "Basa",
    "Banda": "Banda",
    "Bedja": "Beja",
    "Bengaliska": "Bengali",
    "Bhutanesiska": "Dzongkha",
    "Bihariska": "Bihari",
    "Bodjpuri": "Bhojpuri",
    "Chamiska språk": "Chamic languages",
    "Chuukesiska": "Chuukese",
    "Dajak": "Dayak",
    "Diverse språk": "Miscellaneous languages",
    "Dogrib": "Dogrib",
    "Egyptiska": "Ancient Egyptian",
    "Éwondo": "Ewondo",
    "Fidjianska": "Fijian",
    "Fulfulde": "Fula",
    "Fönikiska": "Phoenician",
    "Gaeliska (Skotsk)": "Scottish Gaelic",
    "Gammalgrekiska": "Ancient Greek",
    "Gammalhögtyska": "Old High German",
    "Gammaliriska": "Old Irish",
    "Gammalnorska": "Old Norse",
    "Gammelengelska": "Old English",
    "Gammelfranska": "Old French",
    "Gammelpersiska": "Old Persian",
    "Gammelprovecanska": "Old Provençal",
    "Grekiska": "Greek",
    "Grönländska": "Greenlandic",
    "Gwich'in": "Gwich'in",
    "Hettittiska": "Hittite",
    "Himachali": "Himachali",
    "Ijo": "Ijo",
    "Indo-europeiska språk, andra": "Indo-European languages (other)",
    "Indo-iranska språk, andra": "Indo-Iranian languages (other)",
    "Interlingua": "Interlingua",
    "Inupiak": "Inupiaq",
    "Irokesarspråk": "Iroquoian languages",
    "Judeo-arabisk": "Judeo-Arabic",
    "Judeo-persiska": "Judeo-Persian",
    "Kaldeiska": "Chaldean Neo-Aramaic",
    "Karakalpak": "Karakalpak",
    "Karen": "Karen",
    "Kasmiriska": "Kashmiri",
    "Khotanesiska": "Khotanese",
    "Kirundi": "Kirundi",
    "Kosraeiska": "Kosraean",
    "Kreolska o pidginspråk, portugisisk-baserade,andra":
        "Portuguese-based creoles and pidgins (other)",
    "Kreolska och pidginspråk, andra": "Creoles and pidgins (other)",
    "Kreolska och pidginspråk, engelsk-baserade, andra":
        "English-based creoles and pidgins (other)",
    "Kreolska och pidginspråk, fransk-baserade, andra":
        "French-based creoles and pidgins (other)",
    "Kru": "Kru",
    "Kumykiska": "Kumyk",
    "Kusjittiska språk, andra": "Cushitic languages (other)",
    "Kyrkslaviska": "Church Slavonic",
    "Lesgiska": "Lezghian",
    "Luxemburgiska": "Luxembourgish",
    "Makassar": "Makasar",
    "Malajiska": "Malay",
    "Manipuriska": "Manipuri",
    "Mariska": "Mari",
    "Marshalliska": "Marshallese",
    "Marwariska": "Marwari",
    "Maya": "Mayan languages",
    "Medelengelska": "Middle English",
    "Medelfranska": "Middle French",
    "Medelhögtyska": "Middle High German",
    "Medelirisk": "Middle Irish",
    "Medelnederländska": "Middle Dutch",
    "Micmac": "Mi'kmaq",
    "Moldaviska": "Moldovan",
    "Mongolska": "Mongolian",
    "Monkhmerspråk, andra": "Mon-Khmer languages (other)",
    "Mundspråk": "Munda languages",
    "Nauhatl": "Nahuatl",
    "Nauriska": "Nauruan",
    "Ndebele Nord": "North Ndebele",
    "Ndebele Syd": "South Ndebele",
    "Nepalesiska": "Nepali",
    "Newari": "Newari",
    "Niger-Kordofanspråk, andra": "Niger-Kordofanian languages (other)",
    "Nilsahariska, andra": "Nilo-Saharan languages (other)",
    "Niuea": "Niuean",
    "Nordamerikanska indianerspråk, andra": "North American Indian languages (other)",
    "Nyanja": "Chichewa",
    "Occitanska": "Occitan",
    "Oto-manguespråk": "Oto-Manguean languages",
    "Ottomanturkiska": "Ottoman Turkish",
    "Pampanggo": "Kapampangan",
    "Pashto": "Pashto",
    "Pohnpei": "Pohnpeian",
    "Prakrit": "Prakrit languages",
    "Punjabi/Panjabo": "Punjabi",
    "Rajasthanisja; marwariska": "Rajasthani",
    "Rarotonga": "Rarotongan",
    "Retoromanska": "Romansh",
    "Romani": "Romani",
    "Samaritansk aramaiska": "Samaritan Aramaic",
    "Samiska": "Sami",
    "Selkupiska": "Selkup",
    "Sesotho/Sesuto/Sotho": "Sesotho",
    "Sinotibetanska språk, andra": "Sino-Tibetan languages (other)",
    "Sioux-språk": "Siouan languages",
    "Slaviska (Athapascaniska)": "Slavey",
    "Somaliska": "Somali",
    "Songhai": "Songhai",
    "Sorbiska språk": "Sorbian languages",
    "Syrianska": "Syriac (Suryoyo)",
    "Tadjikiska": "Tajik",
    "Teckenspråk": "Sign language",
    "Tonganska": "Tongan",
    "Tsjinuksjargong": "Chinook Jargon",
    "Turkmenska": "Turkmen",
    "Wakashan språk": "Wakashan languages",
    "Walamo": "Wolaytta",
    "Walesiska": "Welsh",
    "Yupik språk": "Yupik languages",
    "Zande/Azande": "Zande",
    "Zapotekiska": "Zapotec",
}


def iso_names() -> dict[str, str]:
    """Folded Swedish or English ISO name → English name.

    Several ISO 639-3 codes share a Swedish name ("Sindhi" is also given to Lasi), so the major
    languages (those with a two-letter code) come first, then names that are the same in English,
    then the other languages, then language families.
    """
    sv3 = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["sv"])
    sv5 = gettext.translation("iso639-5", pycountry.LOCALES_DIR, languages=["sv"])
    major = [lang for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    ranked = [
        *((sv3.gettext(lang.name), lang.name) for lang in major),
        *((lang.name, lang.name) for lang in major),
        *((lang.name, lang.name) for lang in pycountry.languages),
        *((sv3.gettext(lang.name), lang.name) for lang in pycountry.languages),
        *((sv5.gettext(family.name), family.name) for family in pycountry.language_families),
    ]
    names: dict[str, str] = {}
    for swedish, english_name in ranked:
        names.setdefault(swedish.casefold(), english_name)
    return names


def variants(label: str) -> list[str]:
    out = [label]
    for part in re.split(r"[/;]", label):
        out.append(part.strip())
        bracketed = re.fullmatch(r"(.*?)\s*\((.*)\)", part.strip())
        if bracketed:
            out += [bracketed[1], bracketed[2]]
    return out


def english(label: str, names: dict[str, str]) -> str | None:
    if label in ENGLISH:
        return ENGLISH[label]
    other = ", andra" in label
    base = label.replace(", andra", "").strip()
    for variant in variants(base):
        found = names.get(variant.casefold())
        if found:
            # ISO's own qualifiers ("Swahili (macrolanguage)", "Mende (Sierra Leone)") go
            name = re.sub(r" \((?:macrolanguage|[A-Z][a-z]+(?: [A-Z][a-z]+)*)\)$", "", found)
            name = name[0].upper() + name[1:]
            return f"{name} (other)" if other else name
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    out = parser.parse_args(argv).out
    vocabulary = Vocabulary.default()
    names = iso_names()
    keys = sorted(k for k in vocabulary.all_keys() if k.startswith("language:") and "#" not in k)
    result, missing = {}, []
    for key in keys:
        name = english(vocabulary.label(key), names)
        if name is None:
            missing.append(vocabulary.label(key))
        else:
            result[key] = name
    if missing:
        raise SystemExit(f"no English name for {missing}")
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(result, ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    (out / "languages_en.json").write_text(text, encoding="utf-8")
    print(f"wrote {len(result)} English language names to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
