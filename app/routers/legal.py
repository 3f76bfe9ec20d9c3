"""The pages a German public site must have: /impressum, /datenschutz and
/barrierefreiheit (the accessibility statement of BITV 2.0).

The operator's details come from the settings; a page says plainly what is not
configured and invents nothing. What the software itself does with data (no cookies
but the language choice, which outside services a setting switches on) is stated from
the same settings, so the privacy page stays true to this installation.
"""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.deps import SettingsDep
from app.web.openapi import HTML
from app.web.render import render

router = APIRouter()


def _operator(settings: SettingsDep) -> dict:
    address = [line.strip() for line in settings.operator_address.split(";") if line.strip()]
    return {
        "name": settings.operator_name.strip(),
        "address": address,
        "email": settings.operator_email.strip(),
        "phone": settings.operator_phone.strip(),
        "representative": settings.operator_representative.strip(),
        "content_responsible": settings.operator_content_responsible.strip(),
        "configured": bool(settings.operator_name.strip() and address),
    }


@router.get("/impressum", response_class=HTMLResponse, name="imprint", responses=HTML)
def imprint(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(request, "pages/legal/imprint.html", {"operator": _operator(settings)})


@router.get("/datenschutz", response_class=HTMLResponse, name="privacy", responses=HTML)
def privacy(request: Request, settings: SettingsDep) -> HTMLResponse:
    return render(
        request,
        "pages/legal/privacy.html",
        {
            "operator": _operator(settings),
            "officer": settings.privacy_officer.strip(),
            "authority": settings.privacy_authority.strip(),
            "geocoder_url": settings.geocoder_url,
            "tiles_url": settings.map_tiles_url,
            "cdn": settings.assets == "cdn",
            "correction_hours": settings.correction_window_hours,
        },
    )


@router.get("/barrierefreiheit", response_class=HTMLResponse, name="accessibility", responses=HTML)
def accessibility(request: Request, settings: SettingsDep) -> HTMLResponse:
    operator = _operator(settings)
    return render(
        request,
        "pages/legal/accessibility.html",
        {
            "operator": operator,
            "status": settings.accessibility_status,
            "reviewed": settings.accessibility_reviewed.strip(),
            "contact": settings.accessibility_contact.strip() or operator["email"],
            "contact_phone": operator["phone"],
            "enforcement": settings.accessibility_enforcement.strip(),
        },
    )
