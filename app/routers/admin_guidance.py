"""Staff page: per kind of offer the text "how to get a place" (``app.catalogue.guidance``)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.catalogue import guidance
from app.catalogue.writers import Actor
from app.deps import STAFF_PAGES, SessionDep, StaffDep
from app.i18n import gettext as _
from app.models.categories import CATEGORIES
from app.web.staff import page, see_other

router = APIRouter(prefix="/verwaltung", dependencies=STAFF_PAGES, include_in_schema=False)

FIELDS = ("title", "body", "source_url", "source_label")


def _messages() -> dict[str, str]:
    return {
        "title": _("Geben Sie eine Überschrift ein (3 bis 200 Zeichen)."),
        "body": _("Geben Sie den Text für Eltern ein (10 bis 3000 Zeichen)."),
        "source_url": _("Geben Sie die Internetadresse der Quelle ein (https://…)."),
        "source_label": _("Geben Sie an, wer die Quelle ist, z. B. „Stadt Bochum, Jugendamt“."),
        "category": _("Diese Art von Angebot gibt es nicht."),
    }


def _page(request: Request, session: SessionDep, values=None, errors=None, status_code=200):
    return page(
        request,
        "pages/admin/guidance.html",
        {
            "kinds": CATEGORIES,
            "saved": guidance.all_guidance(session),
            "values": values or {},
            "errors": errors or {},
            "status": request.query_params.get("status"),
        },
        status_code=status_code,
    )


@router.get("/platzvergabe", response_class=HTMLResponse, name="admin_guidance")
def guidance_page(request: Request, staff: StaffDep, session: SessionDep) -> HTMLResponse:
    return _page(request, session)


@router.post("/platzvergabe", response_class=HTMLResponse, name="admin_guidance_save")
async def guidance_save(request: Request, staff: StaffDep, session: SessionDep) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("category", *FIELDS)}
    try:
        guidance.save_guidance(session, values, Actor(staff.user.label, "page"))
    except guidance.ValidationError as exc:
        session.rollback()
        messages = _messages()
        bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        errors = {f"{values['category']}-{k}": messages.get(k, k) for k in sorted(bad)}
        return _page(request, session, {values["category"]: values}, errors, status_code=422)
    session.commit()
    return see_other(f"/verwaltung/platzvergabe?status=gespeichert#art-{values['category']}")
