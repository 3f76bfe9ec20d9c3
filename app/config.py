"""The one settings object. Nothing else in the app reads ``os.environ``."""

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

HTMX_VERSION = "2.0.11"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

# Leaflet draws the map over tiles only when MAP_TILES_URL is set (same npm release as
# the CDN files; the SRI values are those of the files in the npm package).
LEAFLET_VERSION = "1.9.4"
LEAFLET_JS_SRI = "sha384-cxOPjt7s7Iz04uaHJceBmS+qpjv2JkIHNVcuOrM+YHwZOmJGBXI00mdUXEq65HTH"
LEAFLET_CSS_SRI = "sha384-sHL9NAb7lN7rfvG5lfHpm643Xkcjzp4jFvuavGOndn6pjVqS6ny56CAt3nsEVT4H"

# Signs session cookies and form tokens. Good enough for a developer's machine only:
# with ENVIRONMENT=production the app refuses to start while this is the key.
DEFAULT_SECRET_KEY = "development-only-secret-key-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'familienwegweiser.db'}"
    data_dir: Path = PROJECT_ROOT.parent / "shared" / "data"
    build_dir: Path = PROJECT_ROOT / "data"

    # "cdn": jsDelivr with a pinned version and SRI; "local": the copy `make` installs
    # from the npm registry into app/static/vendor (offline use and tests).
    assets: Literal["cdn", "local"] = "cdn"
    htmx_cdn_url: str = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"

    page_size: int = 20  # results per page of the search and its JSON twin

    # The public pages' response cache (app/web/cache.py): its size in MB (0: off), how
    # long a worker trusts the catalogue version it read (a write in the same worker
    # clears it at once), and the max-age a proxy or CDN may keep a page.
    response_cache_mb: int = Field(default=64, ge=0, le=4096)
    # Requests that build a page at the same time, per worker (the thread pool).
    worker_threads: int = Field(default=8, ge=1, le=200)
    cache_version_ttl: float = Field(default=0.5, ge=0, le=60)
    # Argon2id's cost: "recommended" (pwdlib's, ~0.25 s of CPU per hash) everywhere;
    # "test" (the least Argon2id allows, ~1 ms) only for the test suite, where hundreds
    # of accounts sign in. Refused with ENVIRONMENT=production.
    password_hash_cost: Literal["recommended", "test"] = "recommended"
    cache_max_age: int = Field(default=60, ge=0, le=86_400)
    # Seconds between handing freed memory back to the system (app/web/memory.py); 0: off
    memory_trim_seconds: float = Field(default=5.0, ge=0, le=3600)
    # Compile every template at start-up (0.65 s for 102), so the first page of each
    # kind after a restart does not (the test suite turns it off: it starts servers by
    # the dozen and compiles what each test renders).
    warm_templates: bool = True

    # Request bodies above these sizes get a 413 before any route reads them
    # (app.web.limits): multipart/form-data (file uploads) may be larger than the rest.
    max_body_bytes: int = 1_048_576  # 1 MiB
    max_upload_bytes: int = 10_485_760  # 10 MiB

    # PostgreSQL: seconds to wait for a connection; a database that does not answer in
    # time makes the request a 503 instead of a hanging page.
    database_connect_timeout: int = 5
    # Sessions per worker (app/db/session.py): at most WORKER_THREADS requests hold a
    # database session at once; the others wait for one without holding a thread, for
    # at most DATABASE_QUEUE_TIMEOUT seconds, then get a 503 with Retry-After. The pool
    # has WORKER_THREADS + 2 connections (the two: the response cache's version reader
    # and one spare), so a request that holds a session always gets its connection; a
    # connection not free within DATABASE_POOL_TIMEOUT seconds is a 503 too.
    database_queue_timeout: float = Field(default=10.0, gt=0, le=300)
    database_pool_timeout: float = Field(default=5.0, gt=0, le=300)

    # Where `make backup` writes (scripts/backup.py); git-ignored.
    backup_dir: Path = PROJECT_ROOT / "backups"

    # External geocoder (Nominatim-compatible /search endpoint returning JSON), e.g.
    # https://nominatim.openstreetmap.org/search. Empty: only the offline gazetteer.
    geocoder_url: str = ""
    geocoder_timeout: float = 3.0  # seconds; on timeout the gazetteer answers instead

    # Map tiles for the Leaflet layer, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png.
    # Empty: only the server-rendered SVG map, nothing is fetched from outside.
    map_tiles_url: str = ""
    map_tiles_attribution: str = ""

    # Staff sign-in (app/staff). In production SECRET_KEY must be set (32+ characters).
    environment: Literal["development", "production"] = "development"
    secret_key: str = DEFAULT_SECRET_KEY
    session_hours: float = 8.0  # a signed-in session ends after this, at the latest
    session_idle_minutes: int = 120  # ... or after this long without a request
    sign_in_window_minutes: int = 15  # failed sign-ins are counted over this window
    sign_in_max_per_account: int = 5  # the next failure in the window is refused
    sign_in_max_per_address: int = 20
    # Suggested corrections ("Fehler melden"): at most this many per IP address within
    # the window (counted in the database); the next one is refused.
    correction_max_per_address: int = Field(default=10, ge=1, le=10_000)
    correction_window_hours: int = Field(default=24, ge=1, le=24 * 30)
    upload_max_bytes: int = 5_000_000  # largest CSV accepted by the upload page
    # For scripts only: `python -m app.cli create-user` takes the password from here
    # instead of asking (never logged, never stored in clear).
    admin_password: SecretStr | None = None
    # Planning view (/planung): walking distance = straight line × detour factor; the
    # catchment of the accessibility index (2SFCA) in walking metres; the grid cell size.
    planning_detour_factor: float = Field(default=1.3, ge=1.0, le=3.0)
    planning_catchment_m: float = Field(default=1000.0, gt=0, le=10_000)
    planning_grid_m: int = Field(default=100, ge=25, le=1000)
    # Near-me search: a Stadtteil name searches this far around its published centre
    # point (the data has no boundaries of Stadtteile).
    neighbourhood_radius_m: int = Field(1500, ge=100, le=10_000)
    # A fixed moment for "open now" and every other clock-dependent answer (tests and
    # demonstrations, e.g. CLOCK=2026-06-04T10:00+02:00); empty: the real time.
    clock: datetime | None = None

    # Outgoing e-mail (app/mail.py): invitations, verification rounds, the outcome of a
    # suggested correction. Empty SMTP_HOST: no e-mail is sent; pages that would send one
    # say so (an invitation link is then shown once to the staff member instead).
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65_535)
    smtp_user: str = ""
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True  # STARTTLS before sign-in; off only for a local relay
    smtp_timeout: float = Field(default=10.0, gt=0, le=120)
    mail_from: str = ""  # the sender, e.g. "Familienwegweiser Bochum <familie@bochum.de>"
    # The public address of the site, for links in e-mails (no trailing slash).
    public_base_url: str = "http://127.0.0.1:8000"

    # Provider (Träger) accounts: what a provider changes is held for staff review
    # ("review") or published at once, marked "vom Träger aktualisiert" ("publish");
    # how long an invitation link works; the default days before a verification
    # round reminds the contacts who have not answered.
    provider_edits: Literal["review", "publish"] = "review"
    invitation_days: int = Field(default=7, ge=1, le=60)
    verification_remind_days: int = Field(default=14, ge=1, le=365)

    # The operator, shown on /impressum, /datenschutz and /barrierefreiheit. Empty: the
    # pages say plainly that it is not configured; nothing is made up.
    operator_name: str = ""
    operator_address: str = ""  # lines separated by ";"
    operator_email: str = ""
    operator_phone: str = ""
    operator_representative: str = ""  # vertretungsberechtigt
    operator_content_responsible: str = ""  # verantwortlich nach § 18 Abs. 2 MStV
    privacy_officer: str = ""  # Datenschutzbeauftragte(r): name and contact
    privacy_authority: str = ""  # the competent data protection supervisory authority
    accessibility_status: Literal["", "full", "partial", "none"] = ""  # BITV 2.0 compliance
    accessibility_reviewed: str = ""  # when the statement was made or last reviewed
    accessibility_contact: str = ""  # feedback e-mail; empty: operator_email
    accessibility_enforcement: str = ""  # Schlichtungs- or Durchsetzungsstelle

    @property
    def leaflet_cdn_url(self) -> str:
        return f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"

    def check_for_production(self) -> None:
        """Refuse to run in production with the development secret key (or the test
        suite's cheap password hashing)."""
        if self.environment == "production" and (
            self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < 32
        ):
            raise RuntimeError(
                "ENVIRONMENT=production needs SECRET_KEY: a random value of at "
                "least 32 characters (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`), not the default key"
            )
        if self.environment == "production" and self.password_hash_cost != "recommended":
            raise RuntimeError("ENVIRONMENT=production needs PASSWORD_HASH_COST=recommended")

    @property
    def districts_geojson(self) -> Path:
        return self.build_dir / "districts.geojson"


@lru_cache
def get_settings() -> Settings:
    return Settings()
