"""The error that names a line of an input file: the importer, the staff's upload and
the planning loaders all report with it, so it lives below all of them."""

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
