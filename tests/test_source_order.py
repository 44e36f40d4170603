"""The bundled agreements show their sections in their source's order.

For each seed (tests/data/seeds/, the agreements as extracted from their Word/PDF sources), the
headings of the page(s) it was transcribed into are looked up in the seed text, one after the
other: each must be found after the one before it. A heading the source does not have (the
site's own, like "Parter") is passed over; one the source has only earlier is out of order.
The pages are rendered and converted as the build does (generator.render.renderer + pagehtml).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from html import unescape

import pytest
from conftest import REPO
from test_bundled import SEEDS, TRANSCRIBED

from generator.corpus import load_corpus
from generator.render.html import convert
from generator.render.renderer import Renderer

_CONTENTS_ENTRY = re.compile(r"(?:\.{3,}|\t)\s*\d+$")
_HEADING = re.compile(r"<h([1-4])\b[^>]*>(.*?)</h\1>", re.S)


def normal(text: str) -> str:
    """Text as compared: case, '&'/'og', punctuation, section numbers and spacing do not matter."""
    text = unicodedata.normalize("NFC", unescape(text)).casefold().replace("&", " og ")
    text = re.sub(r"[^\wæøå]+", " ", text)
    return " ".join(text.split())


def _numberless(heading: str) -> str:
    """'5 1 1 forældre og læring' -> 'forældre og læring' (sources number their headings)."""
    return re.sub(r"^(?:\d+ )+", "", heading)


def headings(html: str) -> list[str]:
    """The page's headings (h1-h4) as text, in order, without the permalink mark."""
    return [unescape(re.sub(r"<[^>]+>", "", inner)).replace("¶", "").strip() for _, inner in _HEADING.findall(html)]


def source_lines(source: str) -> list[tuple[str, ...]]:
    """The source's lines that can be headings, each as the forms a heading may match, compared
    as normal text without numbers: the whole line, and what stands before a colon or a bracket
    on it (forms write "Revision af delaftalen (Eventuelle …)", "Målgruppe(r):\t…"). Not list
    items, table rows or extraction artefacts (``<i>Formål:</i> …``), not the entries of a table
    of contents (``5.1 Børn, Unge og Familier\t12``)."""
    lines = []
    for line in (line.strip() for line in source.splitlines()):
        if not line or line.startswith(("-", "<", "|")) or _CONTENTS_ENTRY.search(line):
            continue
        forms = {_numberless(normal(line))} if len(line) <= 120 else set()
        head = re.split(r":|\s\(", line, maxsplit=1)[0]
        if head != line and len(head) <= 120:
            forms.add(_numberless(normal(head)))
        lines.append(tuple(forms))
    return lines


def out_of_order(page_headings: list[str], source: str) -> tuple[list[str], list[str]]:
    """(headings found in order, headings the source has only before the one they follow).
    Each heading is looked for among the source's lines after the previous one found;
    headings the source lacks (the site's own) are passed over."""
    lines = source_lines(source)
    cursor, found, wrong = 0, [], []
    for heading in page_headings:
        wanted = _numberless(normal(heading))
        if not wanted:
            continue
        at = next((i for i in range(cursor, len(lines)) if wanted in lines[i]), None)
        if at is not None:
            found.append(heading)
            cursor = at + 1
        elif any(wanted in forms for forms in lines):
            wrong.append(f"{heading!r} (står i kilden før {found[-1] if found else 'starten'!r})")
    return found, wrong


@pytest.fixture(scope="module")
def built_pages() -> dict[str, str]:
    """Every bundled page as HTML, by its path on the site ('rum-for-liv/boern-unge-og-familier')."""
    corpus = load_corpus(REPO / "agreements", root=REPO, reference_date=date.today())
    pages = Renderer(REPO / "templates").render_corpus(corpus)
    return {
        uri.removesuffix("/index.md").removesuffix("index.md"): convert(page.body, page.inserts).html
        for uri, page in pages.items()
    }


PAGES = [(prefix, page) for prefix, pages in sorted(TRANSCRIBED.items()) for page in pages]


@pytest.mark.parametrize("prefix, page", PAGES)
def test_headings_appear_in_the_order_of_the_source(built_pages, prefix, page):
    """Each page on its own: a 2013 plan's indsatsområder are pages of their own, which the
    source has in the middle of the plan's sections."""
    seed = next(SEEDS.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")
    page_headings = headings(built_pages[page])
    found, wrong = out_of_order(page_headings, seed)
    assert not wrong, f"{page}: headings out of the source's order: {wrong}"
    # The test means something: most of the page's headings are the source's own.
    assert len(found) >= 0.5 * len(page_headings), (page, found, page_headings)


def test_a_section_moved_out_of_the_source_order_is_found():
    source = "1. Resumé\ntekst\n2. Indledning\ntekst\n3. Evaluering\ntekst\n4. Organisering\ntekst"
    assert out_of_order(["Resumé", "Indledning", "Evaluering", "Organisering", "Parter"], source)[1] == []
    found, wrong = out_of_order(["Indledning", "Resumé", "Organisering", "Evaluering"], source)
    assert found == ["Indledning", "Organisering"]
    assert len(wrong) == 2 and wrong[0].startswith("'Resumé'") and "'Indledning'" in wrong[0]
