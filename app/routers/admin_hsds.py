"""The staff's HSDS import under /verwaltung/hsds: upload a feed, see the dry run
(created, changed, unchanged, matches to confirm; or every error by line and path),
confirm. The page and ``POST /api/v1/import/hsds`` call the same ``apply_feed``."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.catalogue.writers import Actor
from app.deps import STAFF_PAGES, SessionDep, StaffDep
from app.hsds import importer
from app.i18n import gettext as _
from app.models import HsdsUpload, utcnow
from app.web.staff import page, see_other, uploaded_text

router = APIRouter(prefix="/verwaltung/hsds", dependencies=STAFF_PAGES, include_in_schema=False)
UploadId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _actor(staff: object) -> Actor:
    return Actor(staff.user.label, importer.CHANNEL)  # type: ignore[attr-defined]


def _stored(session: Session, upload_id: int) -> HsdsUpload:
    stored = session.get(HsdsUpload, upload_id)
    if stored is None:
        raise HTTPException(status_code=404)
    return stored


@router.get("", response_class=HTMLResponse, name="admin_hsds")
def upload_page(request: Request, staff: StaffDep) -> HTMLResponse:
    return page(request, "pages/admin/hsds_upload.html", {})


@router.post("", response_class=HTMLResponse, name="admin_hsds_post")
async def upload_feed(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    """Keep the feed and show what it would change (a dry run, rolled back)."""
    found = await uploaded_text(
        await request.form(), "datei", _("Wählen Sie eine HSDS-Datei (NDJSON oder JSON) aus.")
    )
    if isinstance(found, str):
        return page(
            request, "pages/admin/hsds_upload.html", {"errors": {"datei": found}}, status_code=422
        )
    name, text = found
    stored = HsdsUpload(user_id=staff.user.id, filename=name, content=text)
    session.add(stored)
    session.commit()
    return see_other(f"/verwaltung/hsds/{stored.id}")


@router.get("/{upload_id}", response_class=HTMLResponse, name="admin_hsds_preview")
def preview(
    request: Request, upload_id: UploadId, staff: StaffDep, session: SessionDep
) -> HTMLResponse:
    stored = _stored(session, upload_id)
    report = None
    if stored.applied_at is None:
        report = importer.apply_feed(session, stored.content, stored.filename, _actor(staff))
        session.rollback()
    return page(
        request,
        "pages/admin/hsds_preview.html",
        {"upload": stored, "report": report},
        status_code=200 if not report or report.ok else 422,
    )


@router.post("/{upload_id}/bestaetigen", name="admin_hsds_confirm")
async def confirm(
    request: Request, upload_id: UploadId, staff: StaffDep, session: SessionDep
) -> Response:
    """The same import for real, in one transaction; the matches by name and address
    that staff ticked are linked, the others become new offers."""
    form = await request.form()
    confirmed = [str(v) for v in form.getlist("bestaetigen")]
    stored = _stored(session, upload_id)
    if stored.applied_at is None:
        report = importer.apply_feed(
            session, stored.content, stored.filename, _actor(staff), confirm=confirmed
        )
        if not report.ok:
            session.rollback()
        else:
            stored.applied_at = utcnow()
            stored.summary = report.summary()
            session.add(stored)
            session.commit()
    return see_other(f"/verwaltung/hsds/{upload_id}")
