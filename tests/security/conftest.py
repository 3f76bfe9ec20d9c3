"""Shared by the security tests: how much generated input to try, and a tally of it.

``make test`` runs FUZZ_EXAMPLES (default 15) generated cases per schema operation and
mode (valid, invalid: 30 per operation) and four times as many per property (they are
cheap), derandomized so a failure in CI is reproducible; ``make fuzz`` raises the
number and lets Hypothesis draw new cases every run. The session's summary prints how
many cases ran.
"""

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

from tests.security.auth import auth_headers  # noqa: F401  (the fixture)

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
LONG_RUN = FUZZ_EXAMPLES > 100

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not LONG_RUN,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
PROPERTY = settings(FUZZ, max_examples=4 * FUZZ_EXAMPLES)

FUZZ_CASES: Counter[str] = Counter()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FUZZ_CASES:
        return
    terminalreporter.section("generated hostile input")
    for kind, count in sorted(FUZZ_CASES.items()):
        terminalreporter.write_line(f"{kind}: {count} cases")
    terminalreporter.write_line(
        f"total: {sum(FUZZ_CASES.values())} cases (FUZZ_EXAMPLES={FUZZ_EXAMPLES})"
    )
