"""Load from a separate process: ``wrk --latency`` against a running server, parsed."""

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors and non-2xx/3xx responses

    @property
    def answered(self) -> bool:
        """wrk counts only requests answered within the run (else its figures are 0)."""
        return self.requests > 0

    def row(self, floor_p99: float) -> list[str]:
        return [
            f"{self.requests_per_s:,.0f}",
            f"{self.p50_ms:.1f}",
            f"{self.p99_ms:.1f}",
            f"{self.p99_ms / floor_p99:.1f}" if floor_p99 else "–",
            str(self.errors),
        ]


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse(output: str) -> Load:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), "
        r"timeout (\d+)",
        output,
    ):
        errors += sum(int(g) for g in match.groups())
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    return Load(rps, p50, p99, total, errors)


def available() -> bool:
    return shutil.which("wrk") is not None


# Every request a new URL (an extra, ignored parameter): each one misses every cache.
# Each thread seeds its own random numbers (else both threads send the same URLs), and
# placeholders in the URL take new values per request: LAT/LON a phone's position in
# Bochum, OFFERID an offer id in [OFFER_LO, OFFER_HI], NUMBER a number (a new word).
UNIQUE_URLS = """
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
local n = 0
init = function(args)
  math.randomseed(os.time() * 100 + (seed or 0))
end
request = function()
  n = n + 1
  local path = wrk.path
  path = string.gsub(path, "LAT", string.format("%.5f", 51.445 + math.random() * 0.07))
  path = string.gsub(path, "LON", string.format("%.5f", 7.14 + math.random() * 0.17))
  path = string.gsub(path, "OFFERID", tostring(math.random(OFFER_LO, OFFER_HI)))
  path = string.gsub(path, "NUMBER", tostring(math.random(1, 99999)))
  local sep = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, path .. sep .. "_n=" .. (seed or 0) .. "_" .. n .. "_" .. math.random(1e9))
end
"""


def run(
    url: str,
    *,
    connections: int,
    seconds: int,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    uncached: bool = False,
    offer_ids: tuple[int, int] = (1, 1),
) -> Load:
    cmd = [
        "wrk",
        "--latency",
        "-t",
        str(min(threads, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
    ]
    if uncached:
        script = Path(tempfile.mkdtemp(prefix="fw-wrk-")) / "unique-urls.lua"
        lua = UNIQUE_URLS.replace("OFFER_LO", str(offer_ids[0]))
        script.write_text(lua.replace("OFFER_HI", str(offer_ids[1])))
        cmd += ["-s", str(script)]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    done = subprocess.run([*cmd, url], capture_output=True, text=True, check=True)
    return parse(done.stdout)
