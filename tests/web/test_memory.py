"""Workers hand freed memory back to the system (glibc's malloc_trim), on a timer that
the settings can switch off."""

import subprocess
import sys

import pytest

from app.config import PROJECT_ROOT
from app.web import memory


def test_no_trimming_thread_when_switched_off():
    assert memory.start_trimming(0) is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_a_daemon_thread_trims_on_a_timer_where_the_library_is_glibc():
    thread = memory.start_trimming(0.01)
    assert thread is not None and thread.daemon and thread.is_alive()
    assert thread.name == "malloc-trim"


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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_a_large_freed_block_is_handed_back():
    # In a process of its own: the test runner's heaps hold whatever earlier tests left.
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=True,
    )
    before, after = map(float, done.stdout.split())
    assert after < before - 100
