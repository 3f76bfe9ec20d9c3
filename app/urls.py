"""Links that come from data (offers' websites and sources, providers, planning tables,
district levels, population sources, uploads, imports): the one rule for what may
become a link, checked at the boundary and again when a page renders it.

A link is ``http(s)://host…`` (a bare ``www.beispiel.de`` counts as ``https://``), or,
where it is a contact, ``mailto:`` / ``tel:``. Anything else (``javascript:``,
``JaVaScRiPt:``, ``vbscript:``, ``data:``, a scheme hidden by blanks or control
characters, which browsers drop) is refused: loaders report it with its line, and
``safe_href`` gives None for it, so a page shows the text without a link even for a
value stored before this rule.
"""

import re

from app.i18n import gettext as _

WEB_SCHEMES = ("http", "https")
CONTACT_SCHEMES = ("mailto", "tel")

# Browsers drop C0 controls and blanks around a URL and tabs/line breaks inside it, so
# "java\tscript:" runs as "javascript:". Such characters make a value no link at all.
_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\ufeff]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_HOST = re.compile(r"^[\w-]+(\.[\w-]+)*\.?(:\d{1,5})?$")
_BARE = re.compile(r"^[\w-]+(\.[\w-]+)*\.[a-zA-Z]{2,}(:\d{1,5})?([/?#]|$)")
_CONTACT = {
    "mailto": re.compile(r"^mailto:[^@\s<>\"]+@[^@\s<>\"]+$", re.I),
    "tel": re.compile(r"^tel:\+?[0-9()./-]{3,}$", re.I),
}


def _is_bare(value: str) -> bool:
    """A host without a scheme: "www.beispiel.de", "beispiel.de:8080/seite"."""
    return "://" not in value and _BARE.match(value) is not None


def url_problem(value: str, *, contact: bool = False, bare: bool = False) -> str | None:
    """Why ``value`` may not become a link, in the page's language, or None.

    ``contact``: ``mailto:`` and ``tel:`` are allowed too; ``bare``: a host without a
    scheme (``www.beispiel.de``) is allowed and links as ``https://``."""
    if not value:
        return _("leer")
    if _UNSAFE_CHARS.search(value):
        return _("enthält Leer- oder Steuerzeichen; eine Adresse beginnt mit https://")
    if "\\" in value:
        return _("enthält einen umgekehrten Schrägstrich")
    if bare and _is_bare(value):
        return None
    scheme = _SCHEME.match(value)
    if scheme is None:
        return _("keine Internetadresse; sie beginnt mit https:// oder http://")
    name = scheme.group(1).lower()
    if name in WEB_SCHEMES:
        rest = value[len(name) + 1 :]
        if not rest.startswith("//"):
            return _("nach %(scheme)s: fehlt //", scheme=name)
        host = re.split(r"[/?#]", rest[2:], maxsplit=1)[0].rsplit("@", 1)[-1]
        if not host or not _HOST.match(host):
            return _("nennt keinen gültigen Rechnernamen")
        return None
    if contact and name in CONTACT_SCHEMES:
        if _CONTACT[name].match(value):
            return None
        return _("keine gültige Kontaktadresse (%(scheme)s:)", scheme=name)
    allowed = "http://, https://" + (", mailto:, tel:" if contact else "")
    return _(
        "„%(scheme)s:“ ist nicht erlaubt, nur %(allowed)s",
        scheme=scheme.group(1),
        allowed=allowed,
    )


def check_url(value: str, *, contact: bool = False, bare: bool = False) -> str:
    """``value`` (stripped) if it may become a link; ValueError with the reason."""
    value = value.strip()
    problem = url_problem(value, contact=contact, bare=bare)
    if problem is not None:
        raise ValueError(problem)
    return value


def safe_href(value: object, *, contact: bool = False) -> str | None:
    """What a page may put into ``href`` for a stored ``value``: the URL itself (a bare
    host with ``https://``), or None when it is no allowed link."""
    if not isinstance(value, str):
        return None
    if url_problem(value, contact=contact, bare=True) is not None:
        return None
    if _is_bare(value):
        return "https://" + value
    return value


_LOOKS_LIKE_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S")


def source_text_problem(value: str) -> str | None:
    """A source given as text ("Stadt Bochum, Statistik (https://…)") is shown as text,
    never as a link; but a text that is a bare URL must be an allowed one."""
    stripped = value.strip()
    if _LOOKS_LIKE_URL.match(stripped) and " " not in stripped:
        return url_problem(stripped)
    return None
