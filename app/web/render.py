"""Rendering: the Jinja2 environment with gettext, and the response helpers."""

from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape

from app import i18n
from app.catalogue import opening
from app.catalogue.hours import WEEKDAYS
from app.config import HTMX_SRI, HTMX_VERSION, PROJECT_ROOT, get_settings
from app.messages import actor_label, field_label, provider_kind_label, role_label
from app.models.categories import BY_SLUG, CATEGORIES
from app.numbers import format_date, format_date_span, format_datetime, format_number
from app.search.filters import FORM_FIELDS, Filters
from app.search.wording import format_distance, no_accessibility_facts, walking_minutes
from app.sources import SourceNames, source_link, sources_of
from app.web.attribution import SOURCES
from app.web.cache import FRAGMENT_CACHE_CONTROL, HTMX_VARY, wants_fragment
from app.web.contact import phone_links
from app.web.links import link


def channel_label(channel: str) -> str:
    """How a change came in, in words ("page" -> "Verwaltungsseite")."""
    names = {
        "page": i18n.gettext("Verwaltungsseite"),
        "api": i18n.gettext("API"),
        "import": i18n.gettext("Import"),
        "upload": i18n.gettext("Hochladen"),
        "system": i18n.gettext("System"),
        "correction": i18n.gettext("Korrekturhinweis"),
        "provider": i18n.gettext("Träger-Konto"),
        "hsds": i18n.gettext("HSDS-Feed"),
    }
    return names.get(channel, channel)


def action_label(action: str) -> str:
    """What a change did, in words ("update" -> "geändert")."""
    names = {
        "create": i18n.gettext("angelegt"),
        "update": i18n.gettext("geändert"),
        "archive": i18n.gettext("archiviert"),
        "restore": i18n.gettext("wiederhergestellt"),
        "verify": i18n.gettext("geprüft"),
    }
    return names.get(action, action)


env = Environment(
    loader=FileSystemLoader(str(PROJECT_ROOT / "app" / "templates")),
    extensions=["jinja2.ext.i18n"],
    autoescape=select_autoescape(["html"]),
    # Templates change with a deployment (a restart), not while serving: no stat() of
    # every template and include on every page.
    auto_reload=False,
    cache_size=1000,
)
templates = Jinja2Templates(env=env)


def warm_templates() -> int:
    """Compile every template into the environment's cache (``auto_reload=False``: kept
    for the life of the process); returns how many. Run once at start-up, before the
    worker takes requests: the first offer page after a start took 287 ms, most of it
    compiling its templates, while the requests behind it waited."""
    names = env.list_templates()
    for name in names:
        env.get_template(name)
    return len(names)


@pass_context
def url_for(context: dict[str, Any], name: str, /, **params: Any) -> str:
    """Site-relative URLs (work behind any host name and in tests)."""
    request: Request = context["request"]
    try:
        return _path_for(request.app, name, tuple(sorted(params.items())))
    except TypeError:  # a parameter that cannot be a key
        return str(request.app.url_path_for(name, **params))


@lru_cache(maxsize=8192)
def _path_for(app: Any, name: str, params: tuple[tuple[str, Any], ...]) -> str:
    """A route's path, computed once per parameters: Starlette walks the route table
    (and FastAPI builds each included router's context) on every call, half a
    millisecond. Whole-number parameters (offer and provider ids: a page of 20 offers or
    an offer's 12 neighbours are new ids each time) fill the route's path pattern,
    found once per route and parameter names."""
    if params and all(type(v) is int and v >= 0 for _k, v in params):
        pattern = _pattern_for(app, name, tuple(k for k, _v in params))
        for k, (_name, v) in enumerate(params):
            pattern = pattern.replace(str(_SENTINEL + k), str(v))
        return pattern
    return str(app.url_path_for(name, **dict(params)))


_SENTINEL = 987_654_321_000  # a number no path holds


@lru_cache(maxsize=512)
def _pattern_for(app: Any, name: str, keys: tuple[str, ...]) -> str:
    """The path of route ``name`` with the sentinel numbers in place of ``keys``."""
    return str(app.url_path_for(name, **{k: _SENTINEL + i for i, k in enumerate(keys)}))


env.globals["url_for"] = url_for
env.install_gettext_callables(i18n.template_gettext, i18n.template_ngettext, newstyle=True)
env.policies["ext.i18n.trimmed"] = True


env.filters["date"] = format_date
env.filters["datetime"] = format_datetime
env.filters["distance"] = format_distance
env.filters["walking_minutes"] = walking_minutes
env.filters["phone_links"] = phone_links


SAFE_IN_CSS = " .,:;–-()„“"


def css_content(text: str) -> str:
    """``text`` as the value of a CSS ``content`` property: quoted and escaped; the
    markers ``\x00page\x00`` and ``\x00pages\x00`` become the page counters."""
    parts = []
    for i, part in enumerate(str(text).split("\x00")):
        if i % 2:
            parts.append(f"counter({'pages' if part == 'pages' else 'page'})")
        elif part:
            escaped = "".join(
                c if c.isalnum() or c in SAFE_IN_CSS else f"\\{ord(c):x} " for c in part
            )
            parts.append(f'"{escaped}"')
    return " ".join(parts) or '""'


env.filters["css_content"] = css_content
env.globals.update(
    CATEGORIES=CATEGORIES,
    CATEGORY=BY_SLUG,
    SOURCES=SOURCES,
    HTMX_VERSION=HTMX_VERSION,
    HTMX_SRI=HTMX_SRI,
    get_locale=i18n.get_locale,
    number=format_number,
    link=link,
    field_label=field_label,
    channel_label=channel_label,
    action_label=action_label,
    actor_label=actor_label,
    role_label=role_label,
    provider_kind_label=provider_kind_label,
    no_accessibility_facts=no_accessibility_facts,
    source=source_link,
    sources_of=sources_of,
    source_names=SourceNames.of,
    FILTER_FIELDS=FORM_FIELDS,
    FILTER=Filters.by_name,
    opening_status=opening.status_at,
    format_ranges=opening.format_ranges,
    date_span=format_date_span,
    WEEKDAYS_LONG=WEEKDAYS,
)


def is_htmx(request: Request) -> bool:
    """HTMX asks for a fragment to swap (not for a history restore: app.web.cache)."""
    return wants_fragment(request.headers)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    settings = get_settings()
    ctx: dict[str, Any] = {
        "request": request,
        "htmx": is_htmx(request),
        "assets": settings.assets,
        "htmx_url": (
            request.app.url_path_for("static", path="vendor/htmx.min.js")
            if settings.assets == "local"
            else settings.htmx_cdn_url
        ),
        "locale": i18n.get_locale(),
    }
    ctx.update(context or {})
    return templates.TemplateResponse(
        request, template, ctx, status_code=status_code, headers=headers
    )


def render_page_or_fragment(
    request: Request,
    page: str,
    fragment: str,
    context: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A page HTMX updates in place: ``fragment`` for an HTMX swap, else the whole
    ``page``, under the same URL. Both say ``Vary`` on the HTMX headers, and the
    fragment is stored by no browser or proxy (why: ``app.web.cache``)."""
    fragment_wanted = is_htmx(request)
    extra = {"Vary": HTMX_VARY, **(headers or {})}
    if fragment_wanted:
        extra["Cache-Control"] = FRAGMENT_CACHE_CONTROL
    return render(request, fragment if fragment_wanted else page, context, headers=extra)
