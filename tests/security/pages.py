"""Reading pages as the harness checks them: scripts, styles and handlers in the HTML."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageParts:
    scripts: list[dict[str, str | None]] = field(default_factory=list)
    inline_scripts: list[str] = field(default_factory=list)
    stylesheets: list[str] = field(default_factory=list)
    style_attributes: list[str] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)  # on*= attributes
    style_elements: int = 0


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts = PageParts()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.parts.handlers.append(f"<{tag} {name}>")
        if "style" in values:
            self.parts.style_attributes.append(f"<{tag} style={values['style']!r}>")
        if tag == "script":
            self.parts.scripts.append(values)
            self._in_script = "src" not in values
        elif tag == "link" and "stylesheet" in (values.get("rel") or ""):
            self.parts.stylesheets.append(values.get("href") or "")
        elif tag == "style":
            self.parts.style_elements += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.parts.inline_scripts.append(data.strip()[:80])


def page_parts(html: str) -> PageParts:
    reader = _Reader()
    reader.feed(html)
    return reader.parts
