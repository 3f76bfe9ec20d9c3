"""Reading a source file: CSV records with their physical line numbers, each checked.

Quoted fields may hold line breaks, so every record remembers the physical line where
it starts, and errors read ``file:line: field: message`` with ``file`` relative to the
data directory. The kind of an offer file (city POIs or curated offers) is told by its
header; the enriching files (candidates, school directory) are read with
``read_table`` and their own checks.
"""

import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from app.errors import csv_problem
from app.i18n import gettext as _
from app.importer.checks import check_curated, check_poi
from app.importer.rows import CURATED_COLUMNS, POI_COLUMNS, RowError, SourceFile

Check = Callable[[str, int, dict[str, str]], tuple[object | None, list[tuple[str, str]]]]


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
            raise BrokenCsv(start, csv_problem(exc)) from exc
        line, start = start, reader.line_num + 1
        if values:
            yield line, values


def _first_line(data_dir: Path, rel: str) -> tuple[str | None, SourceFile | None]:
    """The header line, or the SourceFile that says why the file cannot be read."""
    path = data_dir / rel
    if not path.is_file():
        source = SourceFile(rel, "missing", fatal=True)
        source.errors.append(RowError(rel, 0, "file", _("nicht gefunden in %(dir)s", dir=data_dir)))
        return None, source
    content = path.read_bytes()
    try:
        return content.decode("utf-8-sig").split("\n", 1)[0], None
    except UnicodeDecodeError as exc:
        source = SourceFile(rel, "missing", fatal=True)
        line = content[: exc.start].count(b"\n") + 1
        source.errors.append(
            RowError(
                rel,
                line,
                "file",
                _(
                    "nicht in UTF-8 gespeichert (Byte %(byte)s); die Datei wird nicht gelesen",
                    byte=f"{content[exc.start]:#x}",
                ),
            )
        )
        return None, source


def read_table(
    data_dir: Path, rel: str, kind: str, columns: Sequence[str], check: Check, delimiter: str = ","
) -> SourceFile:
    """Read ``rel`` and check every record with ``check``; a missing column, an
    unreadable record or a broken file is named by its line."""
    first, failed = _first_line(data_dir, rel)
    if failed is not None:
        return failed
    source = SourceFile(rel, kind)
    header: list[str] | None = None
    try:
        for line, values in records(data_dir / rel, delimiter):
            if header is None:
                header = values
                missing = [c for c in columns if c not in header]
                if missing:
                    source.errors.append(
                        RowError(
                            rel,
                            line,
                            "header",
                            _("es fehlen die Spalten %(columns)s", columns=", ".join(missing)),
                        )
                    )
                    source.fatal = True
                    return source
                continue
            source.records += 1
            if len(values) != len(header):
                source.errors.append(
                    RowError(
                        rel,
                        line,
                        "record",
                        _(
                            "%(n)s Felder, die Kopfzeile hat %(header)s",
                            n=len(values),
                            header=len(header),
                        ),
                    )
                )
                continue
            raw = {k: v.strip() for k, v in zip(header, values, strict=True)}
            row, problems = check(rel, line, raw)
            if problems:
                source.errors += [RowError(rel, line, f, m) for f, m in problems]
                if kind in ("poi", "candidates"):
                    source.bad_rows.append(
                        (line, raw.get("poi_id") or raw.get("key", ""), raw.get("str_hausnr", ""))
                    )
            else:
                source.rows.append(row)
    except BrokenCsv as exc:
        source.errors.append(
            RowError(rel, exc.line, "file", _("ab hier nicht lesbar: %(why)s", why=exc))
        )
        source.fatal = True
    if header is None:
        source.errors.append(RowError(rel, 1, "header", _("die Datei ist leer")))
        source.fatal = True
    return source


def read_source(data_dir: Path, rel: str) -> SourceFile:
    """Read and check one offer file; the kind is told by its header."""
    first, failed = _first_line(data_dir, rel)
    if failed is not None:
        return failed
    assert first is not None
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if delimiter == ",":
        source = read_table(data_dir, rel, "curated", CURATED_COLUMNS, check_curated)
        _check_unique_keys(source)
        return source
    return read_table(data_dir, rel, "poi", POI_COLUMNS, check_poi, delimiter=";")


def _check_unique_keys(source: SourceFile) -> None:
    seen: dict[str, int] = {}
    unique = []
    for row in source.rows:
        if row.key in seen:
            source.errors.append(
                RowError(
                    source.rel,
                    row.line,
                    "key",
                    _(
                        "„%(key)s“ steht schon in Zeile %(line)s",
                        key=row.key,
                        line=seen[row.key],
                    ),
                )
            )
        else:
            seen[row.key] = row.line
            unique.append(row)
    source.rows = unique
