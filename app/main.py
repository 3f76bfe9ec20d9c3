"""The application factory."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.config import PROJECT_ROOT, Settings, get_settings
from app.db import state as catalogue_state
from app.deps import CsrfRejected, StaffRedirect
from app.i18n import gettext as _
from app.messages import request_error_sentence
from app.routers import (
    admin,
    admin_accounts,
    admin_auth,
    admin_goals,
    admin_guidance,
    admin_hsds,
    admin_manage,
    admin_planning,
    admin_providers,
    admin_review,
    api,
    api_providers,
    apidocs,
    corrections,
    districts,
    goals,
    hsds,
    hsds_import,
    legal,
    planning,
    planning_history,
    provider_area,
    public,
    scenario,
    scenario_staff,
)
from app.routers import map as map_routes
from app.web import memory
from app.web.access_log import AccessLogMiddleware
from app.web.allow import allowed_methods
from app.web.cache import ResponseCache
from app.web.cache_version import VersionClock, catalogue_version
from app.web.limits import BodyLimitMiddleware
from app.web.middleware import WebMiddleware
from app.web.render import render, warm_templates
from app.web.staff import csrf_rejected, staff_redirect

CSP = (
    "default-src 'self'; script-src 'self' https://cdn.jsdelivr.net; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy(settings: Settings) -> str:
    """The strict CSP. With ``ASSETS=local`` scripts come from this site only; with map
    tiles configured, their host may serve images and the Leaflet stylesheet may come
    from the CDN."""
    csp = CSP
    if settings.assets == "local":
        csp = csp.replace("script-src 'self' https://cdn.jsdelivr.net", "script-src 'self'")
    if not settings.map_tiles_url:
        return csp
    parts = urlsplit(settings.map_tiles_url)
    tiles_origin = f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    csp = csp.replace("img-src 'self' data:", f"img-src 'self' data: {tiles_origin}")
    if settings.assets == "cdn":
        csp = csp.replace("style-src 'self'", "style-src 'self' https://cdn.jsdelivr.net")
    return csp


BODY_NOT_PARSED = "There was an error parsing the body"  # FastAPI's words


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.endswith((".json", ".geojson", ".csv")) or path.startswith("/api/")


def error_page(request: Request, status: int, detail: str | None = None) -> Response:
    """The page (or JSON) for an error the routes did not handle, or for a request the
    middleware refused (413)."""
    if wants_json(request):
        message = detail or (
            _(
                "Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es "
                "in einigen Minuten noch einmal."
            )
            if status == 503
            else _("Interner Fehler.")
        )
        return JSONResponse(
            {"detail": message},
            status_code=status,
            headers={"Retry-After": "30"} if status == 503 else None,
        )
    return render(
        request,
        "pages/error.html",
        {"status": status, "detail": detail},
        status_code=status,
        headers={"Retry-After": "30"} if status == 503 else None,
    )


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Per worker: at most ``WORKER_THREADS`` requests build a page at once (on two cores
    more only hold more memory, they are not faster); the objects of the start-up are
    moved out of the garbage collector's way (``gc.freeze``), so a full collection
    does not walk them on every request that triggers one; freed memory goes back to
    the system (``app.web.memory``); the templates are compiled before the worker
    takes requests (``WARM_TEMPLATES``), so the first page of each kind after a start
    does not make the requests behind it wait."""
    settings = get_settings()
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
    if settings.warm_templates:
        warm_templates()  # before the worker takes requests
    if settings.memory_trim_seconds:
        memory.limit_arenas()
        memory.start_trimming(settings.memory_trim_seconds)
    gc.freeze()
    yield


def create_app() -> FastAPI:
    settings = get_settings()
    settings.check_for_production()  # no production start with the default secret key
    app = FastAPI(
        title="Familienwegweiser Bochum",
        docs_url=None,
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.mount("/static", StaticFiles(directory=str(PROJECT_ROOT / "app" / "static")), name="static")
    # Outermost last: the access log sees the final status, the security headers are
    # on every response (a refused body's 413 and a cached page too).
    if settings.response_cache_mb > 0:
        # A write committed in this worker forgets the token at once (other workers read
        # it again within cache_version_ttl); app.state holds it, the listeners weakly.
        app.state.version_clock = VersionClock(catalogue_version(app), settings.cache_version_ttl)
        catalogue_state.on_change(app.state.version_clock)
        app.add_middleware(
            ResponseCache,
            clock=app.state.version_clock,
            max_bytes=settings.response_cache_mb << 20,
            max_age=settings.cache_max_age,
        )
    app.add_middleware(
        BodyLimitMiddleware,
        max_body=settings.max_body_bytes,
        max_upload=settings.max_upload_bytes,
        error_page=error_page,
    )
    app.add_middleware(WebMiddleware, csp=content_security_policy(settings), error_page=error_page)
    app.add_middleware(AccessLogMiddleware)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:  # every method of the resource, not only one route's
            headers = {**(headers or {}), "Allow": allowed_methods(request)}
        if exc.status_code == 400 and exc.detail == BODY_NOT_PARSED:
            # A body that is no JSON at all is a bad field too: 422 naming "body".
            return JSONResponse(
                {
                    "detail": [
                        {
                            "loc": ["body"],
                            "type": "json_invalid",
                            "msg": _("Der Inhalt ist kein gültiges JSON (UTF-8)."),
                        }
                    ]
                },
                status_code=422,
            )
        if wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=headers
            )
        if exc.status_code == 404:
            return render(request, "pages/not_found.html", {}, status_code=404)
        return render(
            request,
            "pages/error.html",
            {"status": exc.status_code, "detail": exc.detail if exc.status_code == 413 else None},
            status_code=exc.status_code,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if wants_json(request):
            # The message in words and in the request's language, never pydantic's
            # English ("String should match pattern ..."); loc and type stay for programs.
            detail = [
                {
                    "loc": [str(p) for p in e["loc"]],
                    "msg": request_error_sentence(e),
                    "type": e["type"],
                }
                for e in exc.errors()
            ]
            return JSONResponse({"detail": detail}, status_code=422)
        return render(request, "pages/not_found.html", {}, status_code=404)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(public.router)
    app.include_router(districts.router)
    app.include_router(map_routes.router)
    # Staff (issue 9): pages under /verwaltung, the admin API under /api/v1.
    app.add_exception_handler(StaffRedirect, staff_redirect)
    app.add_exception_handler(CsrfRejected, csrf_rejected)
    app.include_router(admin_auth.public)
    app.include_router(admin_auth.router)
    app.include_router(admin.router)
    app.include_router(admin_review.router)
    app.include_router(admin_manage.router)
    app.include_router(admin_guidance.router)
    app.include_router(admin_accounts.admin_only)
    app.include_router(admin_planning.router)
    # Provider (Träger) accounts and verification rounds (issue 18).
    app.include_router(admin_providers.public)
    app.include_router(admin_providers.router)
    app.include_router(provider_area.router)
    app.include_router(admin_goals.router)
    app.include_router(goals.router)
    app.include_router(planning_history.router)
    app.include_router(scenario.router)
    app.include_router(scenario_staff.router)
    app.include_router(planning_history.staff)
    app.include_router(api.public)
    app.include_router(api.reader)
    app.include_router(api.editor)
    app.include_router(api_providers.public)
    app.include_router(api_providers.reader)
    app.include_router(api_providers.editor)
    app.include_router(planning.router)
    app.include_router(legal.router)
    app.include_router(apidocs.router)
    app.include_router(hsds.router)
    app.include_router(hsds_import.feeds)
    app.include_router(admin_hsds.router)
    app.include_router(corrections.public)
    app.include_router(corrections.router)
    app.include_router(corrections.provider)
    return app


app = create_app()
