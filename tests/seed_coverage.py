"""How much of a seed agreement's text a built site shows: the project's own fidelity measure.

The seeds (tests/data/seeds/) are the bundled agreements as extracted from their Word/PDF
sources. The measure is the share of a seed's word 4-grams that occur in the visible text of
the built site. Layout does not count (tables, lists, headings, order of sections): only
whether the agreement's words are published. It is the measure of the seed-coverage tool
that came with the seeds, kept here so a clone needs nothing beside the repository.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

N = 4
SUPERSCRIPTS = str.maketrans("", "", "⁰¹²³⁴⁵⁶⁷⁸⁹")  # footnote marks glued to words in the sources
BLOCK_TAGS = {
    "p",
    "li",
    "ul",
    "ol",
    "td",
    "th",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "section",
    "article",
    "br",
    "dd",
    "dt",
    "blockquote",
    "pre",
    "summary",
    "details",
}
WORD = re.compile(r"\w+")

Gram = tuple[str, ...]


def words(text: str) -> list[str]:
    return WORD.findall(text.translate(SUPERSCRIPTS).lower())


def seed_grams(words_: list[str]) -> set[Gram]:
    """A run's 4-grams; a run shorter than four words (a table cell) counts whole."""
    if len(words_) < N:
        return {tuple(words_)} if len(words_) >= 2 else set()
    return {tuple(words_[i : i + N]) for i in range(len(words_) - N + 1)}


def seed_segments(raw: str) -> list[str]:
    """The seed split into runs of text a renderer may legitimately separate (cells, list
    items, paragraphs), without the source's table of contents and markup."""
    lines = [
        line
        for line in raw.replace("\r", "").split("\n")
        # table-of-contents lines ("5.1 Børn, Unge og Familier ..... 12") are not content
        if not (re.search(r"\.{4,}", line) or re.search(r"\t\d+\s*$", line))
    ]
    text = re.sub(r"<[^>]+>", "\n", "\n".join(lines))  # HTML fragments of the source documents
    text = html.unescape(text).replace("**", "\n").replace("•", "\n")
    text = re.sub(r"(?<!\w)[*_]|[*_](?!\w)", " ", text)  # Markdown emphasis markers
    return [segment for segment in re.split(r"[\n\t]+", text) if segment.strip()]


class _VisibleText(HTMLParser):
    """A page's text as a reader sees it, with a line break at every block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def page_grams(page_html: str) -> set[Gram]:
    """The 4-grams of a page's running text, plus every short block (a cell) whole."""
    parser = _VisibleText()
    parser.feed(page_html)
    text = "".join(parser.parts)
    running = words(text)
    grams = {tuple(running[i : i + N]) for i in range(len(running) - N + 1)}
    for block in text.split("\n"):
        short = words(block)
        if 2 <= len(short) < N:
            grams.add(tuple(short))
    return grams


def site_grams(site: Path) -> set[Gram]:
    grams: set[Gram] = set()
    for page in sorted(site.rglob("*.html")):
        grams |= page_grams(page.read_text(encoding="utf-8", errors="replace"))
    return grams


def coverage(seed_text: str, published: set[Gram]) -> tuple[float, list[str]]:
    """The share of the seed's 4-grams the site shows, and the runs that lost some (most first)."""
    wanted: set[Gram] = set()
    lost: list[tuple[int, str]] = []
    for segment in seed_segments(seed_text):
        grams = seed_grams(words(segment))
        wanted |= grams
        if missing := len(grams - published):
            lost.append((missing, segment.strip()))
    share = len(wanted & published) / len(wanted) if wanted else 1.0
    return share, [segment for _, segment in sorted(lost, key=lambda item: -item[0])]
