"""Text folding: the one place that decides when two spellings are the same.

"Südwest", "Suedwest" and "SÜDWEST" fold to "suedwest"; "Hüller Straße 12" and
"Hueller Str. 12" to the same address key. Slugs, sort keys, gazetteer keys and the
importer's address matching are all built on ``fold``.
"""

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
_STREET_WORD = re.compile(r"(strasse|str\.?)(?=[\s\-.,]|$)")
_NOISE = re.compile(r"[\s\-.,/'’()]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_HOUSE_NUMBER = re.compile(
    r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[a-zA-Z]?(?:\s*[-–/]\s*\d+\s*[a-zA-Z]?)?)\s*$"
)


def fold(text: str) -> str:
    """Lower case, German umlauts spelt out (ä -> ae, ß -> ss), other accents dropped."""
    folded = text.casefold().translate(_UMLAUTS)  # casefold turns ß into ss
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slugify(name: str) -> str:
    """ "Bochum-Südwest" -> "bochum-suedwest" (URL slugs of districts and keys)."""
    return _NOT_ALNUM.sub("-", fold(name)).strip("-")


def sort_key(name: str) -> str:
    """Alphabetical order as a German reader expects it (umlauts as their two letters),
    the same byte-wise on every database."""
    return _NOT_ALNUM.sub(" ", fold(name)).strip()[:300]


def place_key(text: str) -> str:
    """A key that ignores case, umlaut spelling, spaces, punctuation and
    "Straße"/"Str."/"str": "Hüller Str." and "hueller strasse" are the same."""
    return _NOISE.sub("", _STREET_WORD.sub("str", fold(text)))


def split_house_number(address: str) -> tuple[str, str | None]:
    """ "Hüller Str. 12 a" -> ("Hüller Str.", "12a")."""
    match = _HOUSE_NUMBER.match(address.strip())
    if not match:
        return address.strip(), None
    return match["street"].strip(" ,"), re.sub(r"\s+", "", match["number"]).lower()


def address_key(street: str | None) -> str | None:
    """Street and house number as one key ("Ostermannstraße 32" and "Ostermannstr. 32"
    are the same); None without a house number."""
    if not street:
        return None
    name, number = split_house_number(" ".join(street.split()))
    if not number:
        return None
    return f"{place_key(name)} {number}"
