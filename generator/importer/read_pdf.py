"""PDF via pdfplumber: bordered tables as tables, the text around them as lines grouped into
headings (larger or bold type), list items (a bullet) and paragraphs (by the gaps between lines)."""

from __future__ import annotations

import re
from pathlib import Path
from statistics import median

from generator.importer.document import Block, ImportFejl, clean, footnote_block

BULLETS = ("•", "▪", "◦", "●", "–")
#: the first cell of a table that starts anew (not one running on from the previous page)
TABLE_HEADER = re.compile(r"^(succeskriteri|delmål|organisation|aktivitetsnavn)")


def read_pdf(path: Path) -> list[Block]:
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [_page_items(page) for page in pdf.pages]
            heights = [float(page.height) for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many kinds of errors on a damaged or encrypted file
        raise ImportFejl(
            f"{path}: PDF-filen er beskadiget eller krypteret og kan ikke læses "
            f"({type(exc).__name__}) — gem den igen som PDF, eller brug den oprindelige Word-fil"
        ) from None
    pages = _without_running_lines(pages, heights)
    lines = [item for page in pages for item in page if item[0] == "line"]
    if not lines and not any(item[0] == "table" for page in pages for item in page):
        raise ImportFejl(
            f"{path}: PDF'en indeholder ingen tekst — den er formentlig scannet. Kør den gennem "
            "tekstgenkendelse (OCR), eller brug den oprindelige Word-fil"
        )
    body = median([item[2] for item in lines]) if lines else 10
    blocks: list[Block] = []
    for page in pages:
        first_on_page = True
        previous_bottom = None
        for item in page:
            if item[0] == "table":
                rows, columns = item[1], item[3]
                last = blocks[-1] if blocks else None
                if (
                    first_on_page
                    and last is not None
                    and last.kind == "table"
                    and rows
                    and _same_columns(last.columns, columns)
                    and not TABLE_HEADER.match(rows[0][0].lower())
                ):
                    _continue_table(last, rows)  # a table that runs on from the previous page
                else:
                    blocks.append(Block("table", rows=rows, columns=columns))
                previous_bottom = None
            else:
                _, text, size, bold, top, bottom = item
                _add_line(blocks, text, size, bold, body, top, previous_bottom)
                previous_bottom = bottom
            first_on_page = False
    return [b for b in blocks if b.text or b.rows]


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.strip().lower())


def _without_running_lines(pages: list[list[tuple]], heights: list[float]) -> list[list[tuple]]:
    """Headers and footers (page numbers, 'Side 3 af 12', the document's title on every page) are
    not the agreement's text: a line in the top or bottom 8 % of a page that recurs, numbers aside,
    on at least three pages (or is a bare page number) is left out."""

    def edge(item, height) -> bool:
        return item[0] == "line" and (item[4] < height * 0.08 or item[5] > height * 0.92)

    counts: dict[str, int] = {}
    for page, height in zip(pages, heights):
        for key in {_running_key(item[1]) for item in page if edge(item, height)}:
            counts[key] = counts.get(key, 0) + 1
    running = {key for key, n in counts.items() if n >= 3}
    return [
        [
            item
            for item in page
            if not (
                edge(item, height)
                and (
                    _running_key(item[1]) in running
                    or re.fullmatch(r"(side\s*)?\d+(\s*(af|/)\s*\d+)?", item[1].strip().lower())
                )
            )
        ]
        for page, height in zip(pages, heights)
    ]


def _same_columns(before: tuple[int, ...], after: tuple[int, ...]) -> bool:
    return len(before) == len(after) and all(abs(a - b) <= 3 for a, b in zip(before, after))


def _continue_table(table: Block, rows: list[list[str]]) -> None:
    for row in rows:
        if not row[0].strip() and table.rows:  # a row split by the page break
            table.rows[-1] = [(a + "\n" + b).strip() for a, b in zip(table.rows[-1], row)]
        else:
            table.rows.append(row)


def unwrap_cell(text: str) -> str:
    """A cell's text with the lines the PDF wrapped joined again: a line continues the one before
    unless it starts a list item, or the one before ended a sentence and it starts with a capital."""
    lines: list[str] = []
    for line in text.strip().split("\n"):
        line = line.strip()
        if (
            lines
            and line
            and not line.startswith(BULLETS)
            and (not re.search(r"[.:!?]$", lines[-1]) or re.match(r"^[a-zæøå]", line))
        ):
            lines[-1] += " " + line
        elif line:
            lines.append(line)
    return "\n".join(lines)


def _page_items(page) -> list[tuple]:
    # A table row that runs over a page break has no top or bottom rule on the pages it spans;
    # rules at the ends of the vertical rules close it, so its cells are found there too.
    verticals = [e for e in page.edges if e.get("orientation") == "v"]
    settings = (
        {"explicit_horizontal_lines": [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]}
        if verticals
        else {}
    )
    tables = page.find_tables(settings)
    boxes = [t.bbox for t in tables]
    items: list[tuple] = [
        ("table", [[unwrap_cell(c or "") for c in row] for row in t.extract()], t.bbox[1], _column_edges(t))
        for t in tables
    ]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text_page = page.filter(outside) if boxes else page
    for line in text_page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in line["chars"] if c["text"].strip()]
        if not chars:
            continue
        size = median(c["size"] for c in chars)
        bold = sum("bold" in c["fontname"].lower() for c in chars) > len(chars) / 2
        items.append(("line", line["text"], size, bold, line["top"], line["bottom"]))
    return sorted(items, key=lambda item: item[-2] if item[0] == "line" else item[2])


def _column_edges(table) -> tuple[int, ...]:
    cells = max(table.rows, key=lambda row: sum(c is not None for c in row.cells)).cells
    return tuple(round(cell[0]) for cell in cells if cell is not None)


def _add_line(
    blocks: list[Block], text: str, size: float, bold: bool, body: float, top: float, previous_bottom: float | None
) -> None:
    text = text.strip()
    last = blocks[-1] if blocks else None
    gap = top - previous_bottom if previous_bottom is not None else 99
    if size >= body * 1.12 or (bold and len(text) < 200):
        level = 1 if size >= body * 1.6 else 2 if size >= body * 1.35 else 3 if size >= body * 1.12 else 4
        if last is not None and last.kind == "heading" and last.level == level and gap < size * 0.5:
            last.text += " " + clean(text)
        else:
            blocks.append(Block("heading", clean(text), level=level))
        return
    if text.startswith(BULLETS):
        blocks.append(Block("item", clean(text)))
        return
    note = footnote_block(text)
    if note is not None:
        blocks.append(note)
        return
    if last is not None and last.kind in ("para", "item", "footnote") and gap < size * 0.5:
        last.text += " " + clean(text)
        return
    blocks.append(Block("para", clean(text)))
