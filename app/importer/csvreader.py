"""Reading a source file: CSV records with their physical line numbers, each checked.

Quoted fields may hold line breaks, so every record remembers the physical line where
it starts, and errors read ``file:line: field: message`` with ``file`` relative to the
data directory. The kind of file (city POIs or curated offers) is told by its header.
"""

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.importer.checks import check_curated, check_poi
from app.importer.rows import CURATED_COLUMNS, POI_COLUMNS, RowError, SourceFile


class BrokenCsv(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def records(path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(physical start line, values) per CSV record; the header is line 1."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from stream_records(fh, delimiter)


def stream_records(fh: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Like ``records``, from an open text stream (an uploaded file)."""
    reader = csv.reader(fh, delimiter=delimiter)
    start = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BrokenCsv(start, str(exc)) from exc
        line, start = start, reader.line_num + 1
        if values:
            yield line, values


def read_source(data_dir: Path, rel: str) -> SourceFile:
    """Read and check one source file; the kind is told by its header."""
    path = data_dir / rel
    if not path.is_file():
        source = SourceFile(rel, "missing", fatal=True)
        source.errors.append(RowError(rel, 0, "file", f"not found in {data_dir}"))
        return source
    content = path.read_bytes()
    try:
        first = content.decode("utf-8-sig").split("\n", 1)[0]
    except UnicodeDecodeError as exc:
        source = SourceFile(rel, "missing", fatal=True)
        line = content[: exc.start].count(b"\n") + 1
        source.errors.append(RowError(rel, line, "file",
                                      f"not UTF-8 (byte {content[exc.start]:#x}); file not read"))
        return source
    delimiter = ";" if first.count(";") > first.count(",") else ","
    kind = "curated" if delimiter == "," else "poi"
    source = SourceFile(rel, kind)
    columns = CURATED_COLUMNS if kind == "curated" else POI_COLUMNS
    header: list[str] | None = None
    try:
        for line, values in records(path, delimiter):
            if header is None:
                header = values
                missing = [c for c in columns if c not in header]
                if missing:
                    source.errors.append(RowError(rel, line, "header",
                                                  f"missing column(s) {', '.join(missing)}"))
                    source.fatal = True
                    return source
                continue
            source.records += 1
            if len(values) != len(header):
                source.errors.append(RowError(
                    rel, line, "record", f"{len(values)} fields, the header has {len(header)}"))
                continue
            raw = {k: v.strip() for k, v in zip(header, values, strict=True)}
            check = check_curated if kind == "curated" else check_poi
            row, problems = check(rel, line, raw)
            if problems:
                source.errors += [RowError(rel, line, f, m) for f, m in problems]
                if kind == "poi":
                    source.bad_rows.append((line, raw["poi_id"], raw["str_hausnr"]))
            else:
                source.rows.append(row)
    except BrokenCsv as exc:
        source.errors.append(RowError(rel, exc.line, "file", f"unreadable from here on: {exc}"))
        source.fatal = True
    if header is None:
        source.errors.append(RowError(rel, 1, "header", "the file is empty"))
        source.fatal = True
    if kind == "curated":
        _check_unique_keys(source)
    return source


def _check_unique_keys(source: SourceFile) -> None:
    seen: dict[str, int] = {}
    unique = []
    for row in source.rows:
        if row.key in seen:
            source.errors.append(RowError(source.rel, row.line, "key",
                                          f"'{row.key}' already used on line {seen[row.key]}"))
        else:
            seen[row.key] = row.line
            unique.append(row)
    source.rows = unique


