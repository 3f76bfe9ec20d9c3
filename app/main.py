"""The application factory."""

from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import i18n
from app.config import PROJECT_ROOT, Settings, get_settings
from app.routers import districts, public
from app.routers import map as map_routes
from app.web.render import render

CSP = (
    "default-src 'self'; script-src 'self' https://cdn.jsdelivr.net; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy(settings: Settings) -> str:
    """The strict CSP; with map tiles configured, their host may serve images and the
    Leaflet stylesheet may come from the CDN."""
    if not settings.map_tiles_url:
        return CSP
    parts = urlsplit(settings.map_tiles_url)
    tiles_origin = f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"
    return CSP.replace("img-src 'self' data:", f"img-src 'self' data: {tiles_origin}").replace(
        "style-src 'self'", "style-src 'self' https://cdn.jsdelivr.net")


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.endswith((".json", ".geojson", ".csv")) or path.startswith("/api/")


def create_app() -> FastAPI:
    app = FastAPI(title="Familienwegweiser Bochum", docs_url="/api/docs",
                  openapi_url="/api/openapi.json", redoc_url=None)
    app.mount("/static", StaticFiles(directory=str(PROJECT_ROOT / "app" / "static")),
              name="static")

    csp = content_security_policy(get_settings())

    @app.middleware("http")
    async def locale_and_headers(request: Request, call_next):  # noqa: ANN001, ANN202
        query_lang = request.query_params.get("lang")
        i18n.set_locale(i18n.negotiate(query_lang, request.cookies.get("lang")))
        response: Response = await call_next(request)
        if query_lang in i18n.SUPPORTED:
            response.set_cookie("lang", query_lang, max_age=365 * 24 * 3600, samesite="lax")
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Language", i18n.get_locale())
        response.headers.setdefault("Vary", "Cookie, HX-Request")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        if exc.status_code == 404:
            return render(request, "pages/not_found.html", {}, status_code=404)
        return render(request, "pages/error.html", {"status": exc.status_code},
                      status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": exc.errors()}, status_code=422)
        return render(request, "pages/not_found.html", {}, status_code=404)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.include_router(public.router)
    app.include_router(districts.router)
    app.include_router(map_routes.router)
    return app


app = create_app()
