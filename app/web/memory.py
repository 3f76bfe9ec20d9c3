"""Giving freed memory back to the system. A page built from 100,000 matches frees its
objects when it is sent, but glibc keeps the freed pages in its heaps, so a worker's
resident memory only grows with the largest pages it has built. A daemon thread calls
``malloc_trim(0)`` every ``MEMORY_TRIM_SECONDS`` (0: never), which hands the free pages
back; with at most two malloc arenas (instead of eight per core) there is less to
hand back. Nothing happens where the C library is not glibc."""

import ctypes
import ctypes.util
import threading
import time

M_ARENA_MAX = -8  # mallopt parameter (glibc malloc.h)


def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


def limit_arenas(count: int = 2) -> bool:
    """At most ``count`` malloc arenas for the threads created from now on."""
    libc = _glibc()
    return bool(libc and libc.mallopt(M_ARENA_MAX, count))


def trim() -> bool:
    """Hand the heaps' free pages back now; True when glibc released any."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0))


def start_trimming(seconds: float) -> threading.Thread | None:
    """A daemon thread that trims every ``seconds``; None when off or not glibc."""
    libc = _glibc()
    if seconds <= 0 or libc is None:
        return None

    def loop() -> None:
        while True:
            time.sleep(seconds)
            libc.malloc_trim(0)

    thread = threading.Thread(target=loop, name="malloc-trim", daemon=True)
    thread.start()
    return thread
