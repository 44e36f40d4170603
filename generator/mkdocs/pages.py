"""A page the generator wrote and converted, as MkDocs builds it.

MkDocs reads a page's Markdown (``read_source``) and converts it (``render``); the generator
has done both (rendering.py, pagehtml.py), on both cores and before MkDocs writes a page. A
:class:`GeneratedPage` has its metadata and converted HTML from the start: it reads nothing,
converts nothing, and keeps its HTML packed (pagehtml.PackedHtml) except while the theme
writes it, so a build of thousands of pages never holds all their HTML at once.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.render.html import PackedHtml


class GeneratedPage(Page):
    def __init__(
        self, file: File, config: MkDocsConfig, meta: dict[str, Any], converted: PackedHtml, title: str | None = None
    ):
        """``title``: the page's title in the nav, where mkdocs.yml gives one: MkDocs takes a nav
        entry's title only for a page it makes itself."""
        self._converted = converted
        super().__init__(title, file, config)
        self.meta = meta  # as rendered: no front matter round trip through YAML

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""  # there is no Markdown to read: the page is converted already

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.toc = get_toc([entry.as_token() for entry in self._converted.toc])  # type: ignore[misc]
        self.present_anchor_ids = self._converted.anchors

    # ``content`` is unpacked whenever it is read (by MkDocs' on_page_content, by the theme) and
    # never kept as text; a value set back is packed again only if it differs.
    @property  # type: ignore[override]
    def content(self) -> str | None:
        converted = getattr(self, "_converted", None)
        return converted.html if converted is not None else None

    @content.setter
    def content(self, value: str | None) -> None:
        converted = getattr(self, "_converted", None)
        if value is None or converted is None or value == converted.html:
            return  # Page.__init__'s placeholder, or the page's own HTML handed back
        self._converted = PackedHtml.pack(value, converted.toc, converted.anchors)


def nav_titles(nav: Any) -> dict[str, str]:
    """Source path -> title of every ``title: path`` entry in mkdocs.yml's nav, however nested."""
    titles: dict[str, str] = {}
    if isinstance(nav, list):
        for entry in nav:
            titles |= nav_titles(entry)
    elif isinstance(nav, dict):
        for title, value in nav.items():
            if isinstance(value, str):
                titles[value] = title
            else:
                titles |= nav_titles(value)
    return titles
