"""The kinds of offer the planning view measures, each with its target age group and
the field that holds its places."""

from dataclasses import dataclass

from app.i18n import lazy_gettext as _l
from app.models.categories import BY_SLUG

Band = tuple[int, int | None]  # ages from .. under (None: open)

ALL_AGES: Band = (0, None)


@dataclass(frozen=True)
class PlanningKind:
    slug: str  # a URL contract (``art=``): category slugs, plus "u3"
    category: str  # the offers counted: those with this category
    label: object
    ages: Band
    target: object  # the target group in words
    places_field: str = "capacity"  # "capacity" or "capacity_u3"
    proxy: bool = False  # the target group only stands in for the real one (families)
    # count only the offers of the category known to fit (U3: known to take under-3s);
    # where nothing is known the figure is "unbekannt"
    only_known: bool = False
    wider: object = None  # the target group is wider than the kind's own: why

    @property
    def age_text(self) -> str:
        start, end = self.ages
        return f"{start}+" if end is None else f"{start}–<{end}"


_FAMILIES = _l("Kinder unter 18 Jahren (stehen für Familien mit Kindern)")


def _family_kind(slug: str) -> PlanningKind:
    return PlanningKind(slug, slug, BY_SLUG[slug].plural, (0, 18), _FAMILIES, proxy=True)


KINDS: tuple[PlanningKind, ...] = (
    PlanningKind("kita", "kita", BY_SLUG["kita"].plural, (0, 6), _l("Kinder unter 6 Jahren")),
    PlanningKind(
        "u3",
        "kita",
        _l("Kitas für unter Dreijährige (U3)"),
        (0, 3),
        _l("Kinder unter 3 Jahren"),
        places_field="capacity_u3",
        only_known=True,
    ),
    PlanningKind(
        "ogs", "ogs", BY_SLUG["ogs"].plural, (6, 10), _l("Kinder von 6 bis unter 10 Jahren")
    ),
    PlanningKind(
        "jugendfreizeithaus",
        "jugendfreizeithaus",
        BY_SLUG["jugendfreizeithaus"].plural,
        (10, 18),
        _l("Jugendliche von 10 bis unter 18 Jahren"),
    ),
    PlanningKind(
        "seniorenbuero",
        "seniorenbuero",
        BY_SLUG["seniorenbuero"].plural,
        (60, None),
        _l("Menschen ab 60 Jahren"),
        wider=_l(
            "Zielgruppe der Seniorenbüros sind Menschen ab 65 Jahren. Veröffentlicht ist nur "
            "die Gruppe 60 bis unter 70 Jahre, daher messen wir an der breiteren Gruppe ab 60 "
            "Jahren; die Zahlen je 1.000 fallen dadurch niedriger aus."
        ),
    ),
    _family_kind("familienzentrum"),
    _family_kind("familienbildung"),
    _family_kind("beratung"),
    _family_kind("spielplatz"),
    _family_kind("begruessungsteam"),
    _family_kind("kinderbuero"),
)

KIND_BY_SLUG: dict[str, PlanningKind] = {k.slug: k for k in KINDS}
KIND_SLUGS: tuple[str, ...] = tuple(KIND_BY_SLUG)
