"""The one settings object. Nothing else in the app reads ``os.environ``."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

HTMX_VERSION = "2.0.11"
HTMX_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'familienwegweiser.db'}"
    data_dir: Path = PROJECT_ROOT.parent / "shared" / "data"
    build_dir: Path = PROJECT_ROOT / "data"

    # "cdn": jsDelivr with a pinned version and SRI; "local": the copy `make` installs
    # from the npm registry into app/static/vendor (offline use and tests).
    assets: Literal["cdn", "local"] = "cdn"
    htmx_cdn_url: str = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"

    default_locale: str = "de"
    locales: tuple[str, ...] = ("de", "en")

    page_size: int = 20

    @property
    def districts_geojson(self) -> Path:
        return self.build_dir / "districts.geojson"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
