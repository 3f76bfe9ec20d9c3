"""Check that the vendored HTMX copy is byte-identical to what the CDN tag pins (SRI)."""

import base64
import hashlib
import sys

from app.config import HTMX_SRI, PROJECT_ROOT

VENDOR = PROJECT_ROOT / "app" / "static" / "vendor"


def sri_of(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def verify() -> bool:
    path = VENDOR / "htmx.min.js"
    return path.exists() and sri_of(path.read_bytes()) == HTMX_SRI


if __name__ == "__main__":
    if not verify():
        sys.exit(f"{VENDOR / 'htmx.min.js'} does not match the pinned SRI {HTMX_SRI}")
    print("htmx.min.js matches the pinned SRI")
