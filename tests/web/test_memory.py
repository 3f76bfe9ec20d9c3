"""Workers hand freed memory back to the system (glibc's malloc_trim), on a timer that
the settings can switch off."""

import subprocess
import sys

import pytest

from app.config import PROJECT_ROOT
from app.web import memory


def test_no_trimming_thread_when_switched_off():
    assert memory.start_trimming(0) is None


PROBE = """
from app.config import PROJECT_ROOT
from app.web import memory

def resident_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20

chunks = [bytearray(100_000) for _ in range(2_000)]  # 200 MB in heap-sized pieces
del chunks[:-1]  # all but the last: the heap top stays, the rest is free inside it
before = resident_mb()
memory.trim()
print(before, resident_mb())
"""


TIMER_PROBE = """
import sys, time
from app.web import memory

def resident_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 2**20

thread = memory.start_trimming(float(sys.argv[1]))
chunks = [bytearray(100_000) for _ in range(2_000)]
# Read while the 200 MB are still held: the timer may trim the moment they are freed,
# before a reading taken after the `del` (CI once saw exactly that: 13.4 MB both times).
before = resident_mb()
del chunks[:-1]
deadline = time.monotonic() + float(sys.argv[2])
while resident_mb() > before - 100 and time.monotonic() < deadline:
    time.sleep(0.05)  # nobody calls trim(): only the timer can
print(before, resident_mb(), thread is not None and thread.daemon)
"""


def _run(probe: str, *args: str) -> list[str]:
    # In a process of its own: the test runner's heaps hold whatever earlier tests left.
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=True,
    )
    return done.stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_a_large_freed_block_is_handed_back():
    before, after = map(float, _run(PROBE))
    assert after < before - 100


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_the_timer_hands_freed_memory_back_without_anyone_calling_trim():
    before, after, daemon = _run(TIMER_PROBE, "0.05", "15")
    assert float(after) < float(before) - 100
    assert daemon == "True"  # it never keeps a stopping worker alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_switched_off_the_freed_memory_stays_with_the_process():
    # The control: the drop above is the timer's doing, not glibc's own trimming.
    before, after, started = _run(TIMER_PROBE, "0", "1")
    assert float(after) > float(before) - 20 and started == "False"
