"""Word (.docx) via python-docx: paragraphs with their styles (Heading N, List …) and real tables,
in the order they stand in the document body. A file over the limits (its unpacked size, its
number of paragraphs) is refused before its text is read."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from generator.base.typography import superscript
from generator.importer.document import Block, ImportFejl, clean, footnote_block

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: One part of a .docx, unpacked. The text of a 100-page agreement (word/document.xml) is 1–3 MB
#: and a photo that Word has compressed a few MB; python-docx holds every part in memory and lxml's
#: tree of an XML part takes several times its size, so this bounds the memory of a read to about
#: a gigabyte while no real part comes near it.
MAX_DOCX_PART_BYTES = 50_000_000
#: All parts of a .docx together, unpacked: a document with dozens of photos stays far below it; a
#: 1.3 MB zip bomb unpacked to 3.9 GB.
MAX_DOCX_BYTES = 200_000_000
#: Paragraphs in a .docx (those in table cells too). The largest seed, a 29-page master plan, has
#: 605 (21 a page); 20,000 is a document of over 900 pages. The recognition after the reading takes
#: more than linear time (recognize.roles: about 13 s at 24,000 paragraphs), and 1.2 million
#: paragraphs (a 227 KB file) ran past two minutes.
MAX_DOCX_PARAGRAPHS = 20_000
_TOO_LARGE = "del dokumentet i flere Word-filer, fx én pr. delaftale, og importer dem hver for sig"
#: A document's paragraph styles (:func:`paragraph_styles`): name by style id, and the default's name.
Styles = tuple[dict[str, str | None], str]


def read_docx(path: Path) -> list[Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_unpacked_size(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportFejl(
            f"{path}: filen kan ikke læses som et Word-dokument (.docx) — er den beskadiget, "
            f"eller er det en gammel .doc-fil? Gem den som .docx i Word ({type(exc).__name__})"
        ) from None
    except Exception as exc:  # lxml's XMLSyntaxError and friends: a damaged file
        raise ImportFejl(f"{path}: Word-filen er beskadiget og kan ikke læses ({type(exc).__name__})") from None
    paragraphs = sum(1 for _ in document.element.body.iter(W + "p"))  # the XML, read once: no objects made
    if paragraphs > MAX_DOCX_PARAGRAPHS:
        raise ImportFejl(
            f"{path}: dokumentet har {_thousands(paragraphs)} afsnit; højst "
            f"{_thousands(MAX_DOCX_PARAGRAPHS)} kan importeres — {_TOO_LARGE}"
        )
    styles = paragraph_styles(document)
    notes = footnotes(document)
    blocks: list[Block] = []
    body = document._body
    # The body's paragraphs and tables in order, as python-docx's iter_inner_content gives them; its
    # XPath union ("./w:p | ./w:tbl") takes time quadratic in their number (16 s at 24,000 paragraphs).
    for element in body._element.iterchildren(W + "p", W + "tbl"):
        if element.tag == W + "p":
            item = Paragraph(element, body)
            block = paragraph_block(item, styles)
            if block is not None:
                blocks.append(block)
        else:
            item = Table(element, body)
            rows = [[cell_text(cell, styles) for cell in _unique_cells(row)] for row in item.rows]
            blocks.append(Block("table", rows=[r for r in rows if any(c.strip() for c in r)]))
        # Word's footnotes: the mark stays in the text (as a superscript number), the note follows
        for note_id in _references(item._element):
            if note_id in notes:
                blocks.append(Block("footnote", notes.pop(note_id), note_id=note_id))
    return blocks


def check_unpacked_size(path: Path) -> None:
    """Refuse a .docx whose parts unpack to more than the limits, from the zip's directory, before
    any part is unpacked. The sizes there hold: zipfile stops unpacking a part at its stated size
    (and a part that says less than it holds fails its checksum)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip file: python-docx says so in the author's words (read_docx)
    largest = max(parts, key=lambda part: part.file_size, default=None)
    if largest is not None and largest.file_size > MAX_DOCX_PART_BYTES:
        hint = (
            "gem billedet i lavere opløsning (Komprimer billeder i Word)"
            if largest.filename.startswith("word/media/")
            else _TOO_LARGE
        )
        raise ImportFejl(
            f"{path}: delen '{largest.filename}' af Word-filen fylder {_megabytes(largest.file_size)} MB "
            f"udpakket; højst {_megabytes(MAX_DOCX_PART_BYTES)} MB pr. del kan importeres — {hint}"
        )
    total = sum(part.file_size for part in parts)
    if total > MAX_DOCX_BYTES:
        raise ImportFejl(
            f"{path}: Word-filen fylder {_megabytes(total)} MB udpakket; højst "
            f"{_megabytes(MAX_DOCX_BYTES)} MB kan importeres — gem billederne i lavere opløsning "
            f"(Komprimer billeder i Word), eller {_TOO_LARGE}"
        )


def _megabytes(size: int) -> str:
    """3_900_000_000 -> '3.900'; 50_000_000 -> '50' (whole megabytes)."""
    return _thousands(round(size / 1_000_000))


def _thousands(count: int) -> str:
    """1_200_000 -> '1.200.000' (Danish thousands)."""
    return f"{count:,}".replace(",", ".")


def paragraph_styles(document) -> Styles:
    """Each style's name by its id (None for a style that is not a paragraph style) and the name of
    the default paragraph style, read once from the styles part. python-docx's ``paragraph.style``
    searches the styles part on every call: a paragraph's style is looked up here instead, with
    the same result (the first style with the id; the default for a missing id or another type)."""
    from docx.enum.style import WD_STYLE_TYPE

    names: dict[str, str | None] = {}
    for style in document.styles:  # in document order, as python-docx's search finds them
        names.setdefault(style.style_id, (style.name or "") if style.type == WD_STYLE_TYPE.PARAGRAPH else None)
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    return names, (default.name or "") if default is not None else ""


def _style_name(paragraph, styles: Styles) -> str:
    names, default = styles
    style_id = paragraph._p.style
    name = names.get(style_id) if style_id else None
    return default if name is None else name


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


def paragraph_block(paragraph, styles: Styles) -> Block | None:
    """``styles``: :func:`paragraph_styles` of the paragraph's document."""
    text = _text(paragraph).strip()
    if not text:
        return None
    style = _style_name(paragraph, styles)
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


def cell_text(cell, styles: Styles) -> str:
    """A cell's paragraphs as lines; list paragraphs start with '• ' (document.cell_blocks reads them)."""
    lines = []
    for paragraph in cell.paragraphs:
        block = paragraph_block(paragraph, styles)
        if block is None:
            continue
        if block.kind == "item":
            lines.append("• " + block.text)
        elif block.kind == "footnote":
            lines.append(_text(paragraph).strip())
        else:
            lines.append(block.text)
    return "\n".join(lines)
