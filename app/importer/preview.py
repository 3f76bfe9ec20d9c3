"""What the preview of an uploaded file reports (a staff CSV upload, an HSDS feed):
each line's result, every error, and the counts by result."""

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PreviewReport:
    filename: str
    lines: list[Any] = field(default_factory=list)  # one result a line, with its action
    errors: list[Any] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for r in self.lines if r.action == action)
