"""Word (.docx) via python-docx: paragraphs with their styles (Heading N, List …) and real tables,
in the order they stand in the document body."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..typography import superscript
from .document import Block, ImportFejl, clean, footnote_block

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: Path) -> list[Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFejl(f"{path}: filen kan ikke læses som et Word-dokument (.docx) — er den beskadiget, "
                         f"eller er det en gammel .doc-fil? Gem den som .docx i Word ({type(exc).__name__})") from None
    except Exception as exc:  # lxml's XMLSyntaxError and friends: a damaged file
        raise ImportFejl(f"{path}: Word-filen er beskadiget og kan ikke læses ({type(exc).__name__})") from None
    notes = footnotes(document)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            block = paragraph_block(item)
            if block is not None:
                blocks.append(block)
        elif isinstance(item, Table):
            rows = [[cell_text(cell) for cell in _unique_cells(row)] for row in item.rows]
            blocks.append(Block("table", rows=[r for r in rows if any(c.strip() for c in r)]))
        else:
            continue
        # Word's footnotes: the mark stays in the text (as a superscript number), the note follows
        for note_id in _references(item._element):
            if note_id in notes:
                blocks.append(Block("footnote", notes.pop(note_id), note_id=note_id))
    return blocks


def footnotes(document) -> dict[str, str]:
    """The text of each footnote (word/footnotes.xml), by its id; the separators (ids -1, 0) left out."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    found: dict[str, str] = {}
    for rel in document.part.rels.values():
        if rel.reltype != RT.FOOTNOTES or rel.is_external:
            continue
        root = parse_xml(rel.target_part.blob)
        for note in root.iter(W + "footnote"):
            note_id = note.get(W + "id", "")
            text = clean("".join(t.text or "" for t in note.iter(W + "t")))
            if note_id.isdigit() and int(note_id) > 0 and text:
                found[note_id] = text
    return found


def _references(element) -> list[str]:
    return [ref.get(W + "id", "") for ref in element.iter(W + "footnoteReference")]


def _text(paragraph) -> str:
    """A paragraph's text with each footnote reference as a superscript number ('…aftentimerne³')."""
    if not _references(paragraph._p):
        return paragraph.text
    parts = []
    for node in paragraph._p.iter(W + "t", W + "tab", W + "br", W + "footnoteReference"):
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "footnoteReference":
            parts.append(superscript(node.get(W + "id", "")))
        else:
            parts.append(" " if node.tag == W + "tab" else "\n")
    return "".join(parts)


def paragraph_block(paragraph) -> Block | None:
    text = _text(paragraph).strip()
    if not text:
        return None
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style in ("Title", "Titel"):
        return Block("heading", clean(text), level=1)
    heading = re.match(r"^(?:Heading|Overskrift)\s*(\d)", style)
    if heading:
        return Block("heading", clean(text), level=int(heading.group(1)))
    if style.startswith(("List", "Liste")) or paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None:
        return Block("item", clean(text))
    return footnote_block(text) or Block("para", clean(text))


def _unique_cells(row):
    """Merged cells appear once per grid column in python-docx: keep each cell once."""
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def cell_text(cell) -> str:
    """A cell's paragraphs as lines; list paragraphs start with '• ' (document.cell_blocks reads them)."""
    lines = []
    for paragraph in cell.paragraphs:
        block = paragraph_block(paragraph)
        if block is None:
            continue
        if block.kind == "item":
            lines.append("• " + block.text)
        elif block.kind == "footnote":
            lines.append(_text(paragraph).strip())
        else:
            lines.append(block.text)
    return "\n".join(lines)
