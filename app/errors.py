"""The error that names a line of an input file: the importer, the staff's upload and
the planning loaders all report with it, so it lives below all of them."""

import re
from dataclasses import dataclass

from app.i18n import gettext as _
from app.messages import field_label


@dataclass(frozen=True)
class RowError:
    """A bad line: ``str()`` is ``file:line: field: message`` (logs, the command line);
    ``worded()`` is what a page shows ("Zeile 3, Postleitzahl: fünf Ziffern, z. B.
    44787"). ``message`` is already in the language of the request that made it."""

    file: str
    line: int  # 0: the file as a whole
    field: str
    message: str
    kind: str = "line"  # "feature": ``line`` counts the features of a GeoJSON file

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"

    def worded(self) -> str:
        field = field_label(self.field) if self.field else None
        if self.line <= 0:
            where = None
        elif self.kind == "feature":
            where = _("Bezirk %(n)s der Datei", n=self.line)
        else:
            where = _("Zeile %(n)s", n=self.line)
        if where and field:
            return _(
                "%(where)s, %(field)s: %(message)s", where=where, field=field, message=self.message
            )
        if where or field:
            return f"{where or field}: {self.message}"
        return self.message


def csv_problem(exc: Exception) -> str:
    """Why Python's csv module stopped, in the page's language (its own texts are
    English: "field larger than field limit (131072)")."""
    text = str(exc)
    limit = re.fullmatch(r"field larger than field limit \((\d+)\)", text)
    if limit:
        return _("ein Feld ist länger als %(n)s Zeichen", n=limit.group(1))
    if text.startswith("new-line character seen in unquoted field"):
        return _("ein Zeilenumbruch steht in einem Feld ohne Anführungszeichen")
    if text == "line contains NUL":
        return _("die Zeile enthält ein Nullzeichen")
    return _("kein gültiges CSV")
