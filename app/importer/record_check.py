"""A composed record against the model (``check``), and which offer fields an import
may change (``SOURCE_FIELDS``, ``FILL_ONLY_FIELDS``)."""

from pydantic import ValidationError

from app.i18n import gettext as _
from app.importer.records import OfferRecord
from app.messages import worded_errors
from app.models import OfferCreate

_RECORD_FIELDS = {
    "name": "name",
    "category": "kategorie",
    "description": "beschreibung",
    "target_group": "zielgruppe",
    "contact_phone": "telefon",
    "contact_email": "Offizielle E-Mail-Adresse",
    "website": "website",
    "service_area": "versorgungsgebiet",
    "notes": "hinweis",
    "street": "strasse",
    "postcode": "plz",
}


# The offer fields the sources give. An import changes only these: what staff add that
# no source has (e-mail, hours, places, accessibility, ...) is never overwritten.
SOURCE_FIELDS = frozenset(
    {
        "name",
        "category",
        "extra_categories",
        "description",
        "target_group",
        "age_min",
        "age_max",
        "age_is_typical",
        "contact_phone",
        "contact_email",
        "website",
        "service_area",
        "notes",
        "provider_name",
        "street",
        "postcode",
        "city",
    }
)


# Fields only some sources have (the school directory's e-mail): an import fills them,
# but a source without the value never empties what staff entered.
FILL_ONLY_FIELDS = frozenset({"contact_email"})


def check(record: OfferRecord) -> tuple[OfferCreate | None, list[tuple[str, str]]]:
    """The combined record must still fit the model (row checks cover almost all).

    Returns the validated model (without its point, which placing adds) and the
    problems, named by the source's columns."""
    problems = []
    data = None
    try:
        data = OfferCreate(**record.fields)
    except ValidationError as exc:
        problems += [(name or "record", text) for name, text in worded_errors(exc, _RECORD_FIELDS)]
    for name in ("source_label", "source_date", "placed_by"):
        if len(getattr(record, name) or "") > 300:
            problems.append(
                (
                    "quelle_datum" if name == "source_date" else name,
                    _("%(name)s wäre länger als %(n)s Zeichen", name=name, n=300),
                )
            )
    return (None if problems else data), problems
