"""Contacts as links: phone numbers as ``tel:`` links, however the source wrote them."""

import re

_SEPARATORS = re.compile(r"\s+oder\s+|;|,\s+(?=\+?\d)", re.IGNORECASE)
_ALTERNATIVE = re.compile(r"\s*/\s*-\s*\d+\s*$")  # "9461-13 / -26": another extension


def phone_links(text: str) -> list[tuple[str, str]]:
    """ "0234 / 77 31 65 51" -> [("0234 / 77 31 65 51", "tel:02347731655 1")]; several
    numbers ("02327 9461-13 oder 02327 3281895") give one link each."""
    links = []
    for part in _SEPARATORS.split(text):
        shown = part.strip()
        dialled = _ALTERNATIVE.sub("", shown)
        digits = re.sub(r"[^\d+]", "", dialled)
        if sum(c.isdigit() for c in digits) >= 5:
            links.append((shown, f"tel:{digits}"))
    return links or [(text, "tel:" + re.sub(r"[^\d+]", "", text))]
