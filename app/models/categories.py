"""The offer kinds (a URL contract: the slugs never change)."""

from dataclasses import dataclass

from app.i18n import lazy_gettext as _l


@dataclass(frozen=True)
class Category:
    slug: str
    label: object  # lazy gettext string
    plural: object
    # Typical age range of this kind of offer, in years, used only where the entry
    # states none; the page labels such a range as typical, not as the provider's.
    typical_age: tuple[int, int] | None = None


CATEGORIES: tuple[Category, ...] = (
    Category("begruessungsteam", _l("Begrüßungsteam"), _l("Begrüßungsteams"), (0, 1)),
    Category("familienbildung", _l("Familienbildungsstätte"), _l("Familienbildungsstätten")),
    Category("kinderbuero", _l("Kinder- und Familienbüro"), _l("Kinder- und Familienbüros")),
    Category("kita", _l("Kita"), _l("Kitas"), (0, 6)),
    Category("familienzentrum", _l("Familienzentrum"), _l("Familienzentren")),
    Category("ogs", _l("Offene Ganztagsschule (OGS)"), _l("Offene Ganztagsschulen (OGS)"), (6, 10)),
    Category("jugendfreizeithaus", _l("Jugendfreizeithaus"), _l("Jugendfreizeithäuser")),
    Category("seniorenbuero", _l("Seniorenbüro"), _l("Seniorenbüros"), (60, 120)),
    Category("beratung", _l("Beratungsstelle"), _l("Beratungsstellen")),
    Category("spielplatz", _l("Spielplatz"), _l("Spielplätze")),
    Category("sonstiges", _l("Sonstiges Angebot"), _l("Sonstige Angebote")),
)

BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}
SLUGS: tuple[str, ...] = tuple(BY_SLUG)

# The eight offer kinds the audit's inventory names first.
MAIN_KINDS: tuple[str, ...] = (
    "begruessungsteam",
    "familienbildung",
    "kinderbuero",
    "kita",
    "familienzentrum",
    "ogs",
    "jugendfreizeithaus",
    "seniorenbuero",
)
