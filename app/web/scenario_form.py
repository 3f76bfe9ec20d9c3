"""The what-if form's fields (/planung/szenario): the sites already in the link
(``ort``) and one new site, placed by a click on the map, by an address looked up in
our own data, or by latitude and longitude (in that order: the click is what was
submitted). Each error names its field; the summary links to it."""

from collections.abc import Mapping

from sqlmodel import Session

from app.i18n import gettext as _
from app.maps.scenario_map import MAP_WIDTHS, city_frame, click_point
from app.planning.scenario import MAX_SITES, SCENARIO_KINDS, Site, parse_site
from app.planning.siting import SiteNotFound, locate_address, locate_point

NEW_FIELDS = ("neu_art", "neu_adresse", "neu_lat", "neu_lon", "neu_plaetze")


def new_values(params: Mapping[str, str]) -> dict[str, str]:
    return {k: (params.get(k) or "").strip() for k in NEW_FIELDS}


def _click(params: Mapping[str, str]) -> tuple[str, str, str] | None:
    for name in MAP_WIDTHS:
        x, y = params.get(f"{name}.x"), params.get(f"{name}.y")
        if x is not None and y is not None:
            return name, x, y
    return None


def _places(text: str) -> int | None:
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) <= 10_000:
        raise ValueError(_("Plätze: eine ganze Zahl von 1 bis 10.000"))
    return int(text)


def new_site(session: Session, params: Mapping[str, str]) -> tuple[Site | None, dict[str, str]]:
    """The new site of the form, or None when none was given; errors by field id."""
    new = new_values(params)
    click = _click(params)
    if click is None and not (new["neu_adresse"] or new["neu_lat"] or new["neu_lon"]):
        return None, {}
    errors: dict[str, str] = {}
    kind = new["neu_art"] or "kita"
    if kind not in SCENARIO_KINDS:
        errors["neu_art"] = _("Art: unbekannte Art „%(kind)s“", kind=kind)
    try:
        places = _places(new["neu_plaetze"])
    except ValueError as exc:
        errors["neu_plaetze"] = str(exc)
        places = None
    found = None
    if click is not None:
        name, x, y = click
        try:
            px, py = float(x), float(y)
        except ValueError:
            px = py = 0.0
        if px <= 0 and py <= 0:
            # a keyboard press on the image sends (0, 0): no point was chosen
            errors["karte"] = _(
                "Karte: Mit der Tastatur lässt sich kein Punkt auf der Karte wählen. "
                "Geben Sie bitte eine Adresse oder Breite und Länge ein."
            )
        else:
            frame, _shapes = city_frame(session)
            try:
                found = locate_point(session, *click_point(frame, name, px, py))
            except SiteNotFound as exc:
                errors["karte"] = _("Karte: %(message)s", message=str(exc))
    elif new["neu_adresse"]:
        try:
            found = locate_address(session, new["neu_adresse"])
        except SiteNotFound as exc:
            errors["neu_adresse"] = _("Adresse: %(message)s", message=str(exc))
    if errors:
        return None, errors
    if found is not None:
        return Site(kind, found.lat, found.lon, places, found.how, found.label), {}
    text = ";".join([kind, new["neu_lat"].replace(",", "."), new["neu_lon"].replace(",", ".")])
    try:
        site = parse_site(text)
    except ValueError as exc:
        return None, {"neu_lat": _("Breite und Länge: %(message)s", message=str(exc))}
    return Site(kind, site.lat, site.lon, places), {}


def read_sites(
    session: Session, values: list[str], params: Mapping[str, str]
) -> tuple[list[Site], dict[str, str]]:
    """The sites in the link, then the form's new one; errors by field id."""
    sites, errors = [], {}
    for n, text in enumerate(values[:MAX_SITES], start=1):
        try:
            sites.append(parse_site(text.replace(",", ".") if text.count(";") in (2, 3) else text))
        except ValueError as exc:
            errors[f"ort-{n}"] = _("Ort %(n)s: %(message)s", n=n, message=str(exc))
    site, new_errors = new_site(session, params)
    errors.update(new_errors)
    if site is not None and len(sites) < MAX_SITES:
        sites.append(site)
    elif site is not None:
        errors["neu_art"] = _("Höchstens %(n)s Standorte.", n=MAX_SITES)
    return sites, errors
