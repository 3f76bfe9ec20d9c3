"""Files the app derives (``data/districts.geojson``, backups) are written atomically: to
a temporary file beside the target, flushed to disk, then renamed over it. A reader, or
a process killed half-way (even with SIGKILL), sees the old file or the new one, never
a torn one."""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_atomically(target: Path, write: Callable[[Path], object]) -> Path:
    """Let ``write(path)`` fill a temporary file in ``target``'s folder, then put it in
    place with one rename. If ``write`` fails, ``target`` is untouched and the temporary
    file is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=f".tmp{target.suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()  # some writers (GDAL drivers) refuse to write over an existing file
        write(tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return target


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the directory)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
