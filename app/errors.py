"""The error that names a line of an input file: the importer, the staff's upload and
the planning loaders all report with it, so it lives below all of them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"
