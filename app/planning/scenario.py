"""What if: hypothetical new sites (kind, point, places) and, per district, the
measures before and after: offers per 1,000, reach within 500 and 1,000 m, the
accessibility index (2SFCA) and the rank. Nothing is written anywhere.

Computed incrementally from the cached coverage (its per-cell arrays): a new site
changes walking reach only where it is nearer than the nearest offer, and in the
2SFCA the ratios of the existing offers do not change at all (their demand is the
residents around them, not the supply), so the index only grows by the new sites'
own terms: R_s = S_s / Σ_k G(d_ks) P_k, then A_i += G(d_is) R_s for the cells within
the catchment. Where places are not known for every offer of the kind, a site counts
as 1 offer, as every existing one does."""

from dataclasses import dataclass, field

import numpy as np
import shapely

from app.geo.crs import to_metric
from app.i18n import gettext as _
from app.planning import fca, reach
from app.planning.coverage_model import REACH_LIMITS, Coverage
from app.planning.kinds import KIND_BY_SLUG, KINDS, PlanningKind
from app.planning.ranking import gap_ranking

SCENARIO_KINDS = tuple(k.slug for k in KINDS if not k.only_known)
MAX_SITES = 20
ROW_MEASURES = ("je_1000", "erreichbar_500", "erreichbar_1000", "zugang")
# the site strings' errors are in the page's language (gettext at call time)


# How a site's point was found (``Site.how``): typed coordinates, a map click, or an
# address looked up in the data we hold (app.planning.siting).
HOW = ("koordinaten", "karte", "adresse", "strasse", "plz", "stadtteil")
MAX_LABEL = 120


@dataclass(frozen=True)
class Site:
    kind: str
    lat: float
    lon: float
    places: int | None = None
    how: str = "koordinaten"
    label: str = ""  # what the point was found from ("Hüller Str. 12"), as shown

    @property
    def param(self) -> str:
        """The site in the URL (``ort``): kind;lat;lon;places[;how;label]."""
        places = "" if self.places is None else str(self.places)
        text = f"{self.kind};{self.lat:.5f};{self.lon:.5f};{places}"
        if self.how != "koordinaten" or self.label:
            text += f";{self.how};{self.label}"
        return text


def clean_label(text: str) -> str:
    """A label that fits into the site's URL part: no separators, one line, short."""
    return " ".join(text.replace(";", ",").split())[:MAX_LABEL]


def parse_site(text: str) -> Site:
    """``kita;51.48;7.21;60`` (places optional; how the point was found and its label
    may follow); raises ValueError naming the part."""
    parts = [p.strip() for p in text.split(";")]
    if len(parts) > 6:
        parts = [*parts[:5], ",".join(parts[5:])]
    if len(parts) not in (3, 4, 5, 6):
        raise ValueError(_("erwartet: Art;Breite;Länge;Plätze"))
    kind = parts[0]
    if kind not in SCENARIO_KINDS:
        raise ValueError(_("unbekannte Art „%(kind)s“", kind=kind))
    try:
        lat, lon = float(parts[1]), float(parts[2])
    except ValueError:
        raise ValueError(_("Breite und Länge müssen Zahlen sein")) from None
    if not (51.3 <= lat <= 51.7 and 7.0 <= lon <= 7.45):
        raise ValueError(_("der Ort liegt nicht in Bochum"))
    places = None
    if len(parts) >= 4 and parts[3]:
        if not parts[3].isdigit() or not 0 < int(parts[3]) <= 10_000:
            raise ValueError(_("Plätze: eine ganze Zahl von 1 bis 10.000"))
        places = int(parts[3])
    how = parts[4] if len(parts) >= 5 and parts[4] else "koordinaten"
    if how not in HOW:
        raise ValueError(_("unbekannte Herkunft des Punkts „%(how)s“", how=how))
    label = clean_label(parts[5]) if len(parts) == 6 else ""
    return Site(kind, lat, lon, places, how, label)


@dataclass(frozen=True)
class Values:
    per_1000: float | None
    reach_500: float | None
    reach_1000: float | None
    access: float | None
    rank: int | None
    offers: int

    def value(self, key: str) -> float | None:
        return {
            "je_1000": self.per_1000,
            "erreichbar_500": None if self.reach_500 is None else round(self.reach_500 * 100, 1),
            "erreichbar_1000": None if self.reach_1000 is None else round(self.reach_1000 * 100, 1),
            "zugang": self.access,
        }[key]


@dataclass(frozen=True)
class AreaChange:
    slug: str
    name: str
    before: Values
    after: Values


@dataclass
class KindScenario:
    kind: PlanningKind
    sites: list[Site]
    supply: str  # "places" or "offers"
    areas: list[AreaChange] = field(default_factory=list)
    city: AreaChange | None = None


def add_sites_index(
    access: np.ndarray,
    cells: np.ndarray,
    population: np.ndarray,
    sites: np.ndarray,
    supply: np.ndarray,
    *,
    catchment: float,
    detour: float,
) -> np.ndarray:
    """The 2SFCA index per cell after adding ``sites`` (m × 2, EPSG:25832) with their
    ``supply``: ``access`` plus each new site's term, over the cells in its catchment."""
    out = access.copy()
    if len(sites) == 0 or len(cells) == 0:
        return out
    from scipy.spatial import cKDTree

    near = np.unique(
        np.concatenate(
            [
                np.asarray(i, dtype=int)
                for i in cKDTree(cells).query_ball_point(sites, catchment / detour)
            ]
        )
    ).astype(int)
    if len(near) == 0:
        return out
    demand = np.zeros(len(sites))
    pairs = list(fca.weighted_pairs(cells[near], sites, catchment=catchment, detour=detour))
    for i, j, w in pairs:
        demand += np.bincount(j, weights=w * population[near][i], minlength=len(sites))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(demand > 0, supply / demand, 0.0)
    for i, j, w in pairs:
        out[near] += np.bincount(i, weights=w * ratio[j], minlength=len(near))
    return out


def _area_of(cov: Coverage, x: float, y: float) -> str | None:
    point = shapely.Point(x, y)
    return next((slug for slug, shape in cov.shapes.items() if shape.contains(point)), None)


def what_if(cov: Coverage, sites: list[Site]) -> list[KindScenario]:
    """Per kind of the sites: every district's measures before and after."""
    out = []
    n = len(cov.areas)
    for slug in dict.fromkeys(s.kind for s in sites):
        kind = KIND_BY_SLUG[slug]
        mine = [s for s in sites if s.kind == slug]
        kc = cov.cells[slug]
        info = cov.kinds[slug]
        points = [to_metric(shapely.Point(s.lon, s.lat)) for s in mine]
        xy = np.array([[p.x, p.y] for p in points])
        supply = np.array([float(s.places or 0) if info.supply == "places" else 1.0 for s in mine])
        walk_sites = reach.nearest_walk(cov.grid_xy, xy, cov.detour)
        walk = np.minimum(kc.walk, walk_sites)
        access = add_sites_index(
            kc.access,
            cov.grid_xy,
            kc.population,
            xy,
            supply,
            catchment=cov.catchment,
            detour=cov.detour,
        )
        shares = {
            limit: reach.share_within(walk, kc.population, cov.level_index, n, limit)
            for limit in REACH_LIMITS
        }
        index = fca.area_mean(access, kc.population, cov.level_index, n) * 1000
        added = [_area_of(cov, p.x, p.y) for p in points]
        after_rows = []
        for i, area in enumerate(cov.areas):
            m = area.kinds[slug]
            offers = m.offers + sum(1 for a in added if a == area.slug)
            pop = m.population.value
            after_rows.append(
                (
                    offers,
                    None if not pop else round(offers / pop * 1000, 2),
                    None if pop is None else round(float(shares[500][i]), 3),
                    None if pop is None else round(float(shares[1000][i]), 3),
                    None if pop is None else round(float(index[i]), 2),
                )
            )
        keys = ("je_1000", "erreichbar_500", "erreichbar_1000", "zugang")
        gaps = gap_ranking({k: [r[j + 1] for r in after_rows] for j, k in enumerate(keys)}, n)
        scenario = KindScenario(kind, mine, info.supply)
        for area, row, gap in zip(cov.areas, after_rows, gaps, strict=True):
            m = area.kinds[slug]
            before = Values(m.per_1000, m.reach_500, m.reach_1000, m.access, m.gap.rank, m.offers)
            after = Values(row[1], row[2], row[3], row[4], gap.rank, row[0])
            scenario.areas.append(AreaChange(area.slug, area.name, before, after))
        total = kc.population.sum()
        c = cov.city.kinds[slug]
        city_offers = c.offers + len(mine)
        city_pop = c.population.value
        scenario.city = AreaChange(
            "bochum",
            "Bochum",
            Values(c.per_1000, c.reach_500, c.reach_1000, c.access, None, c.offers),
            Values(
                None if not city_pop else round(city_offers / city_pop * 1000, 2),
                round(float(kc.population[walk <= 500].sum() / total), 3) if total else None,
                round(float(kc.population[walk <= 1000].sum() / total), 3) if total else None,
                round(float((access * kc.population).sum() / total * 1000), 2) if total else None,
                None,
                city_offers,
            ),
        )
        out.append(scenario)
    return out
