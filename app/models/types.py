"""The field rules of an offer, once: every input model (create, update, import rows,
forms, the API) builds on these annotated types, so that they validate alike."""

import re
from datetime import time
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from app.i18n import gettext as _
from app.models.categories import SLUGS
from app.urls import check_url, url_problem


def _known_category(value: str) -> str:
    if value not in SLUGS:
        raise ValueError(_("unbekannte Kategorie „%(value)s“", value=value))
    return value


_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]{2,}$")


def _email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(_("keine gültige E-Mail-Adresse"))
    return value


_PHONE_CHARS = re.compile(r"^[0-9+()/ \-–.,;:a-zA-ZäöüÄÖÜß]+$")


def _phone(value: str) -> str:
    if sum(c.isdigit() for c in value) < 5 or not _PHONE_CHARS.match(value):
        raise ValueError(_("keine gültige Telefonnummer (mindestens fünf Ziffern)"))
    return value


_WEB = re.compile(r"^(https?://)?[\w.-]+\.[a-zA-Z]{2,}(:\d+)?([/?#]\S*)?$")


def _web_address(value: str) -> str:
    if not _WEB.match(value) or url_problem(value, bare=True) is not None:
        raise ValueError(_("keine gültige Web-Adresse (zum Beispiel www.beispiel.de)"))
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_markup_controls(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError(_("enthält Steuerzeichen"))
    return value


def _at_most(max_length: int) -> BeforeValidator:
    """The length limit on the text as sent, before the blanks around it are stripped:
    the schema's ``maxLength`` promises that (a name of 300 letters after a line break
    is 301 characters long, and refused)."""

    def check(value: object) -> object:
        if isinstance(value, str) and len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        return value

    return BeforeValidator(check)


def stripped(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


def text(max_length: int, min_length: int = 0) -> object:
    """A stripped text of at most ``max_length`` characters, without control characters."""
    return Annotated[
        str,
        stripped(max_length, min_length),
        _at_most(max_length),
        AfterValidator(_no_markup_controls),
    ]


Name = text(300, min_length=2)
# The schema lists the kinds, so that clients know them (the validator names a wrong one).
CategorySlug = Annotated[
    str,
    AfterValidator(_known_category),
    WithJsonSchema({"type": "string", "enum": list(SLUGS)}),
]
# A time of day as the city states it (local time, Europe/Berlin, no offset), "08:00"
# or "08:00:00" in, "08:00:00" out. Not RFC 3339's ``format: time``, which needs an
# offset: the schema says what is sent.
_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")


def _clock(value: object) -> object:
    if value is not None and not isinstance(value, (str, time)):
        # pydantic reads a number as seconds with a UTC offset: no local clock time, and
        # compared with one it raised a TypeError (a 500, found by `make fuzz`)
        raise ValueError("keine Uhrzeit wie 08:00 (Ortszeit, ohne Zeitzone)")
    if isinstance(value, str) and not _CLOCK.match(value):
        raise ValueError("keine Uhrzeit wie 08:00 (Ortszeit, ohne Zeitzone)")
    if isinstance(value, time) and value.tzinfo is not None:
        raise ValueError("eine Uhrzeit ohne Zeitzone (Ortszeit)")
    return value


ClockTime = Annotated[
    time,
    BeforeValidator(_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _CLOCK.pattern,
            "description": "local time of day (Europe/Berlin), HH:MM or HH:MM:SS, no offset",
            "examples": ["08:00:00"],
        }
    ),
]
Age = Annotated[int, Field(ge=0, le=120)]
# A yes/no fact as JSON says it: true or false, never 0.0, 1 or "yes", which pydantic
# would read (the documented type is boolean; the forms and files turn "ja" into True).
YesNo = Annotated[bool, Strict()]
Email = Annotated[str, stripped(200), _at_most(200), AfterValidator(_email)]
Phone = Annotated[str, stripped(100), _at_most(100), AfterValidator(_phone)]
WebAddress = Annotated[str, stripped(500), _at_most(500), AfterValidator(_web_address)]
Postcode = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{5}$")]
# A link from data (a source, a table's source_url): http(s) only (``app.urls``).
SourceUrl = Annotated[str, stripped(1000), _at_most(1000), AfterValidator(check_url)]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Street = text(200)
ShortText = text(300)
LongText = text(5000)

CostsKind = Literal["frei", "kosten", "einkommensabhaengig"]
DeliveryMode = Literal["vor-ort", "online", "telefon", "aufsuchend"]

# The NRW school holidays by name (as the ``holidays`` library's German names are
# reduced: ``app.catalogue.calendar``); "alle" is all of them.
SCHOOL_HOLIDAYS = (
    "herbstferien",
    "weihnachtsferien",
    "osterferien",
    "pfingstferien",
    "sommerferien",
)


def _school_closure(value: str) -> str:
    """ "Sommerferien:3, Herbstferien" -> "sommerferien:3,herbstferien" (a holiday by
    name, or its first weeks; "alle": every school holiday)."""
    tokens = []
    for part in filter(None, (p.strip().lower() for p in value.split(","))):
        name, _, weeks = part.partition(":")
        name = name.strip()
        if name not in ("alle", *SCHOOL_HOLIDAYS):
            raise ValueError(f"'{part}' ist keine Ferienzeit (alle, {', '.join(SCHOOL_HOLIDAYS)})")
        if weeks and not (weeks.strip().isdigit() and 1 <= int(weeks) <= 7):
            raise ValueError(f"'{part}': die Wochen sind eine Zahl von 1 bis 7")
        tokens.append(f"{name}:{int(weeks)}" if weeks else name)
    return ",".join(dict.fromkeys(tokens))


SchoolClosure = Annotated[str, stripped(300), AfterValidator(_school_closure)]
