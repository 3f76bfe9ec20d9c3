"""Staff pages that keep the catalogue true: placing offers on the map, entries due for
a check, likely duplicates, and the CSV upload (preview, then confirm)."""

import math
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.catalogue import edits, kitafacts, review
from app.catalogue.placing import find_point, outside_city_xy
from app.catalogue.read import district_names, offers_to_place
from app.catalogue.writers import Actor, Placement, VersionConflict
from app.deps import STAFF_PAGES, GeocoderDep, SessionDep, StaffDep
from app.i18n import gettext as _
from app.importer import upload as uploads
from app.importer import upload_format
from app.maps import offer_map
from app.models import Offer, StaffUpload
from app.web.staff import offer_or_404, page, see_other, staff_actor, uploaded_text

router = APIRouter(prefix="/verwaltung", dependencies=STAFF_PAGES, include_in_schema=False)

OfferId = Annotated[int, Path(ge=1, le=2**31 - 1)]
PAGE_SIZE = 50


@router.get("/ohne-karte", response_class=HTMLResponse, name="admin_unplaced")
def unplaced(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    """The importer's "not yet on the map" list, to place one by one."""
    return page(
        request,
        "pages/admin/unplaced.html",
        {"offers": offers_to_place(session), "districts": district_names(session)},
    )


@router.get("/kita-meldungen", response_class=HTMLResponse, name="admin_kita_facts")
def kita_facts(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    """Closures and Kitas not in the city file, from press and provider pages: a list to
    act on by hand (nothing is archived or created from it automatically)."""
    return page(request, "pages/admin/kita_facts.html", {"items": kitafacts.to_act_on(session)})


@router.get("/angebote/{offer_id}/platzieren", response_class=HTMLResponse, name="admin_place")
def place_page(
    request: Request,
    offer_id: OfferId,
    staff: StaffDep,
    session: SessionDep,
    geocoder: GeocoderDep,
    ort: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Find a point by address, postcode or coordinates and see it on the map before
    saving it (a point outside the city area is saved only when staff confirm it)."""
    offer = offer_or_404(session, offer_id)
    loc = offer.location
    typed = ort or " ".join(
        p for p in (loc.street if loc else None, loc.postcode if loc else None) if p
    )
    found: dict[str, Any] = find_point(session, ort, geocoder) if ort.strip() else {}
    errors = {"ort": found["error"]} if "error" in found else {}
    return _place_page(request, session, offer, typed, found, errors)


def _place_page(
    request: Request,
    session: Session,
    offer: Offer,
    typed: str,
    found: dict[str, Any],
    errors: dict[str, str],
) -> HTMLResponse:
    preview = outside = None
    if "x" in found:
        preview = offer_map.point_map(session, found["x"], found["y"], offer)
        outside = outside_city_xy(session, found["x"], found["y"])
    return page(
        request,
        "pages/admin/place.html",
        {
            "offer": offer,
            "typed": typed,
            "found": found,
            "preview": preview,
            "outside": outside,
            "errors": errors,
            "current": offer_map.offer_map(session, offer),
        },
        status_code=422 if errors else 200,
    )


@router.post("/angebote/{offer_id}/platzieren", name="admin_place_save")
async def place_save(
    request: Request, offer_id: OfferId, staff: StaffDep, session: SessionDep, geocoder: GeocoderDep
) -> Response:
    """Store the previewed point, with how it was found (the place is found again from
    the same text, so the stored point is exactly the one shown). A point outside the
    city area needs the box "liegt außerhalb" ticked, else the page says so (422)."""
    offer = offer_or_404(session, offer_id)
    form = await request.form()
    text = str(form.get("ort") or "")[:200]
    version = str(form.get("version") or "")
    found = find_point(session, text, geocoder) if text.strip() else {"error": "-"}
    if "error" in found:
        return see_other(f"/verwaltung/angebote/{offer_id}/platzieren")
    placement = Placement(found["x"], found["y"], found["precision"], found["placed_by"])
    outcome = edits.edit(
        session,
        offer,
        staff_actor(staff),
        changes={},
        placement=placement,
        based_on=[int(version)] if version.isdigit() else (),
        confirm_outside=form.get("ausserhalb") == "1",
    )
    if isinstance(outcome, edits.Invalid) and "point" in outcome.errors:
        errors = {"ausserhalb": outcome.errors["point"]}
        return _place_page(request, session, offer, text, found, errors)
    if not isinstance(outcome, edits.Applied):
        return see_other(f"/verwaltung/angebote/{offer_id}?status=veraltet")
    return see_other(f"/verwaltung/angebote/{offer_id}?status=platziert")


@router.get("/pruefen", response_class=HTMLResponse, name="admin_due")
def due(
    request: Request,
    staff: StaffDep,
    session: SessionDep,
    seite: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Entries never checked by a person, or not for twelve months, oldest first;
    filtered by kind, district and provider (a GET form: the URL can be shared)."""
    view = review.due_page(session, request.query_params, offset=(seite - 1) * PAGE_SIZE)
    return page(
        request,
        "pages/admin/due.html",
        {
            "view": view,
            "filters": view.filters,
            "errors": view.errors,
            "total": view.due.total,
            "offers": view.due.offers,
            "page": seite,
            "pages": max(1, math.ceil(view.due.total / PAGE_SIZE)),
            "query": urlencode(view.filters.params()),
        },
    )


@router.get("/dubletten", response_class=HTMLResponse, name="admin_duplicates")
def duplicates(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return page(
        request,
        "pages/admin/duplicates.html",
        {
            "groups": review.likely_duplicates(session),
            "districts": district_names(session),
            "status": request.query_params.get("status"),
        },
    )


def _ids(values: list[Any]) -> list[int]:
    return sorted({int(v) for v in values if isinstance(v, str) and v.isdigit()})


@router.post("/dubletten/verschieden", name="admin_duplicates_distinct")
async def mark_distinct(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    form = await request.form()
    ids = _ids(form.getlist("ids"))
    if len(ids) >= 2:
        review.mark_distinct(session, ids, staff_actor(staff))
        session.commit()
    return see_other("/verwaltung/dubletten?status=verschieden")


@router.post("/dubletten/zusammenfuehren", name="admin_duplicates_merge")
async def merge(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    """Keep the chosen offer, fill its gaps from the others and archive them."""
    form = await request.form()
    ids = _ids(form.getlist("ids"))
    keep_id = _ids([form.get("keep")])
    if not keep_id or keep_id[0] not in ids:
        return see_other("/verwaltung/dubletten")
    keep = offer_or_404(session, keep_id[0])
    others = [offer_or_404(session, other_id) for other_id in ids if other_id != keep.id]
    try:
        for other in others:
            review.merge_duplicate(session, keep, other, staff_actor(staff))
    except VersionConflict:  # merged (or changed) by someone else at the same moment
        session.rollback()
        return see_other("/verwaltung/dubletten?status=veraltet")
    session.commit()
    return see_other(f"/verwaltung/angebote/{keep.id}?status=zusammengefuehrt")


@router.get("/hochladen", response_class=HTMLResponse, name="admin_upload")
def upload_page(request: Request, staff: StaffDep) -> HTMLResponse:
    return page(request, "pages/admin/upload.html", {"columns": upload_format.COLUMNS})


@router.get("/hochladen/vorlage.csv", name="admin_upload_template")
def upload_template(staff: StaffDep) -> Response:
    return Response(
        upload_format.template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="angebote-vorlage.csv"'},
    )


@router.post("/hochladen", response_class=HTMLResponse, name="admin_upload_post")
async def upload_file(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    """Keep the file, and show what it would change: a dry run, rolled back."""
    found = await uploaded_text(await request.form(), "datei", _("Wählen Sie eine CSV-Datei aus."))
    if isinstance(found, str):
        return page(
            request,
            "pages/admin/upload.html",
            {"columns": upload_format.COLUMNS, "errors": {"datei": found}},
            status_code=422,
        )
    name, text = found
    stored = StaffUpload(user_id=staff.user.id, filename=name, content=text)
    session.add(stored)
    session.commit()
    return see_other(f"/verwaltung/hochladen/{stored.id}")


def _upload(session: Session, upload_id: int) -> StaffUpload:
    stored = session.get(StaffUpload, upload_id)
    if stored is None:
        raise HTTPException(status_code=404)
    return stored


@router.get("/hochladen/{upload_id}", response_class=HTMLResponse, name="admin_upload_preview")
def upload_preview(
    request: Request,
    upload_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    staff: StaffDep,
    session: SessionDep,
) -> HTMLResponse:
    """The line-numbered report of the file; before it is confirmed, computed in a
    transaction that is rolled back, so nothing is stored."""
    stored = _upload(session, upload_id)
    report = None
    if stored.applied_at is None:
        report = uploads.apply_upload(
            session, stored.content, stored.filename, Actor(staff.user.label, "upload")
        )
        session.rollback()
    return page(
        request,
        "pages/admin/upload_preview.html",
        {"upload": stored, "report": report},
        status_code=200 if not report or report.ok else 422,
    )


@router.post("/hochladen/{upload_id}/bestaetigen", name="admin_upload_confirm")
def upload_confirm(
    request: Request,
    upload_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    staff: StaffDep,
    session: SessionDep,
) -> Response:
    """Run the same upload for real, in one transaction (all lines or none)."""
    stored = _upload(session, upload_id)
    try:
        uploads.confirm_upload(session, stored, Actor(staff.user.label, "upload"))
    except VersionConflict:
        return see_other(f"/verwaltung/hochladen/{upload_id}?status=veraltet")
    return see_other(f"/verwaltung/hochladen/{upload_id}")
