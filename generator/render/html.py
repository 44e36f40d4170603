"""Markdown of generated pages → sanitised HTML and a table of contents, fast.

Python-Markdown converts about 1 MB of agreement text a second (an agreement page: ~30 ms,
~8 ms for its headings alone); at 1,000 agreements that alone outruns the build budget. The
generated pages are therefore converted here with cmark-gfm (GitHub's C implementation of
CommonMark with tables, footnotes and autolinks: ~0.5 ms a page). The hand-written pages in
``docs/`` still go through MkDocs' own Markdown.

What the templates need beyond CommonMark is small and handled here:

- ``## Titel {: #anker }`` (attribute-list syntax) gives a heading its stable id; a heading
  without one gets the id Python-Markdown would give it, so published anchors keep working.
- Every heading gets the permalink MkDocs' ``toc`` extension adds, and h1-h3 make the
  table of contents.
- Footnotes read as in the source documents: superscript marks, Danish labels.

The result is sanitised (``sanitize``): authors may type HTML into any Markdown field.
"""

from __future__ import annotations

import posixpath
import re
import zlib
from dataclasses import dataclass, field
from html import escape, unescape

from cmarkgfm.cmark import Options
from markdown.extensions.toc import slugify

from generator.base.sanitize import sanitize
from generator.base.typography import superscript
from generator.render.commonmark import github_html
from generator.render.texttables import reflowing
from generator.source.figures import place as place_figures

_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES  # raw HTML is sanitised after
_HEADING = re.compile(r"<h([1-6])>(.*?)</h\1>", re.S)
_ATTRIBUTE_ID = re.compile(r"\s*\{:\s*#([\w-]+)\s*\}\s*$")
_TAG = re.compile(r"<[^>]+>")
_ID = re.compile(r'\sid="([^"]+)"')
_FOOTNOTE_REF = re.compile(
    r'<sup class="footnote-ref"><a href="#fn-([^"]+)" id="fnref-([^"]+)" data-footnote-ref>([^<]+)</a></sup>'
)
_FOOTNOTE_BACKREF = re.compile(
    r'<a href="#fnref-([^"]+)" class="footnote-backref" data-footnote-backref data-footnote-backref-idx="(\d+)"'
    r' aria-label="[^"]*">↩</a>'
)
_FOOTNOTE_LIST = re.compile(r'<section class="footnotes" data-footnotes>(.*?)</section>\s*$', re.S)
TOC_DEPTH = 3
# Where a template wants the page's contents as a list of its own (agreement pages: on a phone,
# where the theme hides its contents sidebar, it is the way around a 20,000 px page).
CONTENTS_MARKER = '<div class="sideindhold"></div>'
PERMALINK_TITLE = "Direkte link til dette afsnit"


@dataclass
class TocEntry:
    level: int
    id: str
    name: str  # HTML-escaped text
    children: list[TocEntry] = field(default_factory=list)

    def as_token(self) -> dict:
        """The shape of Python-Markdown's ``toc_tokens`` (what ``mkdocs.structure.toc.get_toc`` reads)."""
        return {
            "level": self.level,
            "id": self.id,
            "name": self.name,
            "html": self.name,
            "data-toc-label": "",
            "children": [c.as_token() for c in self.children],
        }


@dataclass
class PageHtml:
    html: str
    toc: list[TocEntry]
    anchors: set[str]  # every id on the page: MkDocs checks links from other pages against them

    def packed(self) -> PackedHtml:
        return PackedHtml.pack(self.html, self.toc, self.anchors)


@dataclass(frozen=True)
class PackedHtml:
    """A converted page as a build keeps it until the page is written: its HTML compressed
    (zlib's fastest level, about a sixth of the size). A build converts every page before
    MkDocs writes the first (on both cores, and the search index is made from the same HTML);
    at 1,000 agreements their HTML held as text would be some 400 MB. ``html`` unpacks it
    (about 0.1 ms a page), each time it is read."""

    data: bytes
    length: int  # characters of the HTML
    toc: list[TocEntry]
    anchors: set[str]

    @classmethod
    def pack(cls, html: str, toc: list[TocEntry], anchors: set[str]) -> PackedHtml:
        return cls(zlib.compress(html.encode("utf-8"), 1), len(html), toc, anchors)

    @property
    def html(self) -> str:
        return zlib.decompress(self.data).decode("utf-8")


def convert(
    markdown: str, inserts: dict[str, str] | None = None, figures: dict[str, str] | None = None, uri: str = "index.md"
) -> PageHtml:
    """``inserts``: marker -> trusted generated HTML (a chart's SVG, charts.py) that the allow-list
    for author HTML would remove; each replaces its marker after sanitising. ``figures``: the
    page's images (figures.py) as the text writes them -> published URI, linked from the page's
    source URI ``uri``; any other image is left out."""
    html = github_html(markdown, _OPTIONS)
    used: set[str] = set()
    headings: list[TocEntry] = []

    def heading(match: re.Match) -> str:
        level, inner = int(match[1]), match[2]
        explicit = _ATTRIBUTE_ID.search(inner)
        if explicit:
            inner = inner[: explicit.start()]
        text = unescape(_TAG.sub("", inner)).strip()
        ident = _unique(explicit[1] if explicit else slugify(text, "-"), used)
        headings.append(TocEntry(level, ident, escape(text, quote=False)))
        return (
            f'<h{level} id="{ident}">{inner}<a class="headerlink" href="#{ident}" '
            f'title="{PERMALINK_TITLE}">¶</a></h{level}>'
        )

    html = _HEADING.sub(heading, html)
    html = _footnotes(html)
    html = sanitize(reflowing(html))
    # Images are placed in what the parser made of the page (an author's <image> is an <img> by
    # now), and the page is sanitised again, since the figures' captions are the author's titles.
    if "<img" in html:
        html = sanitize(place_figures(html, figures or {}, posixpath.dirname(uri)))
    for mark, trusted in (inserts or {}).items():
        html = html.replace(mark, mark.replace("></div>", f">{trusted}</div>"), 1)
    toc = _nest([h for h in headings if h.level <= TOC_DEPTH])
    if CONTENTS_MARKER in html:
        html = html.replace(CONTENTS_MARKER, contents_box(toc), 1)
    return PageHtml(html, toc, set(_ID.findall(html)))


def contents_box(toc: list[TocEntry]) -> str:
    """The page's sections (below its title) as a folded list: <details> needs no script."""
    sections = [entry for root in toc for entry in (root.children if root.level == 1 else [root])]
    if not sections:
        return ""

    def items(entries: list[TocEntry]) -> str:
        return "".join(
            f'<li><a href="#{e.id}">{e.name}</a>' + (f"<ul>{items(e.children)}</ul>" if e.children else "") + "</li>"
            for e in entries
        )

    return (
        f'<details class="sideindhold"><summary>Indhold</summary>'
        f'<nav aria-label="Sidens indhold"><ul>{items(sections)}</ul></nav></details>'
    )


def _unique(ident: str, used: set[str]) -> str:
    """Python-Markdown's rule: a repeated id gets _1, _2, …"""
    candidate, n = ident, 0
    while candidate in used:
        n += 1
        candidate = f"{ident}_{n}"
    used.add(candidate)
    return candidate


def _nest(flat: list[TocEntry]) -> list[TocEntry]:
    roots: list[TocEntry] = []
    stack: list[TocEntry] = []
    for entry in flat:
        while stack and stack[-1].level >= entry.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(entry)
        stack.append(entry)
    return roots


def _footnotes(html: str) -> str:
    """Footnote references as superscript marks with a spoken Danish label (as the source
    documents print them, and so "aftentimerne³" is one word for search and copying)."""
    html = _FOOTNOTE_REF.sub(
        lambda m: (
            f'<a id="fnref-{m[2]}" class="footnote-ref" href="#fn-{m[1]}" '
            f'aria-label="Fodnote {m[3]}">{superscript(m[3])}</a>'
        ),
        html,
    )
    html = _FOOTNOTE_BACKREF.sub(
        lambda m: (
            f'<a class="footnote-backref" href="#fnref-{m[1]}" title="Tilbage til henvisning {m[2]} i teksten">↑</a>'
        ),
        html,
    )
    return _FOOTNOTE_LIST.sub(r'<div class="footnote"><hr>\1</div>', html)
