"""The one settings object. Nothing else in the app reads ``os.environ``."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

HTMX_VERSION = "2.0.11"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

# Leaflet draws the map over tiles only when MAP_TILES_URL is set (same npm release as
# the CDN files; the SRI values are those of the files in the npm package).
LEAFLET_VERSION = "1.9.4"
LEAFLET_JS_SRI = "sha384-cxOPjt7s7Iz04uaHJceBmS+qpjv2JkIHNVcuOrM+YHwZOmJGBXI00mdUXEq65HTH"
LEAFLET_CSS_SRI = "sha384-sHL9NAb7lN7rfvG5lfHpm643Xkcjzp4jFvuavGOndn6pjVqS6ny56CAt3nsEVT4H"


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

    # Request bodies above these sizes get a 413 before any route reads them
    # (app.web.limits): multipart/form-data (file uploads) may be larger than the rest.
    max_body_bytes: int = 1_048_576  # 1 MiB
    max_upload_bytes: int = 10_485_760  # 10 MiB

    # PostgreSQL: seconds to wait for a connection; a database that does not answer in
    # time makes the request a 503 instead of a hanging page.
    database_connect_timeout: int = 5

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

    @property
    def leaflet_cdn_url(self) -> str:
        return f"https://cdn.jsdelivr.net/npm/leaflet@{LEAFLET_VERSION}/dist"

    @property
    def districts_geojson(self) -> Path:
        return self.build_dir / "districts.geojson"


@lru_cache
def get_settings() -> Settings:
    return Settings()
