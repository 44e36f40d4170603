"""Word and PDF versions of the seed agreements, made at test time (no binary files in git).

The seeds (tests/data/seeds/*.txt) are text extracted from real Word/PDF agreements. Here each is
laid out again the way LBF's templates lay an agreement out: the title and section labels as
Word headings, lists as Word lists, the indicator, success-criterion and budget tables as real
Word tables, and each activity schema ("Aktivitetsnavn:", "Formål:", … "Ansvars- og
rollefordeling:") as a two-column table of label and content. The PDF is the same structure as
HTML printed by WeasyPrint (the project's PDF engine), with bordered tables so a PDF table
extractor finds them.

The text is split into paragraphs, items and table rows by the importer's own text reader (the
only parser of the seeds' extraction artefacts); the layout decisions below are this module's.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from generator.importer.document import Block
from generator.importer.read_txt import read_text_file

ACTIVITY_START = re.compile(r"^aktivitetsnavn", re.I)
ACTIVITY_END = re.compile(r"^(aktiviteter, som skal bidrage|aktivitetsnavn)", re.I)
#: the labels of LBF's activity schemas (the left column)
SCHEMA_LABEL = re.compile(
    r"^(cfbu|formål|målgruppe|indhold og praksis|succeskriterier og datakilde|"
    r"ansvars- og rollefordeling)",
    re.I,
)


def layout(seed: Path) -> list[tuple[str, object]]:
    """The seed as ("block", Block) and ("schema", [(label, [Block, …]), …]) in reading order."""
    parts: list[tuple[str, object]] = []
    schema: list[tuple[str, list[Block]]] | None = None
    for block in read_text_file(seed):
        starts = block.kind in ("heading", "para") and ACTIVITY_START.match(block.text)
        if schema is not None and (starts or (block.kind in ("heading", "para") and ACTIVITY_END.match(block.text))):
            parts.append(("schema", schema))
            schema = None
        if starts:
            schema = [(block.text, [])]
            continue
        if schema is not None:
            if block.kind in ("heading", "para") and SCHEMA_LABEL.match(block.text) and len(block.text) < 120:
                schema.append((block.text, []))
            elif block.kind == "table":  # a table inside a schema stands on its own, then the schema goes on
                parts.append(("schema", schema))
                parts.append(("block", block))
                schema = [("", [])]
            else:
                schema[-1][1].append(block)
            continue
        parts.append(("block", block))
    if schema is not None:
        parts.append(("schema", schema))
    return parts


def _word_style(block: Block, first: bool) -> str:
    if block.kind == "heading":
        return "Heading 1" if first else f"Heading {max(2, min(block.level, 4) - 1)}"
    if block.kind == "footnote":
        return "Normal"
    return "List Bullet" if block.kind == "item" else "Normal"


def make_docx(seed: Path, target: Path) -> Path:
    """The seed as a Word file; its footnotes are Word's own (a reference in the text, the note in
    word/footnotes.xml), as in LBF's documents."""
    import docx

    parts = layout(seed)
    notes = _referenced_notes(parts)
    document = docx.Document()
    first = True
    for kind, part in parts:
        if kind == "block":
            block = part
            if block.kind == "table":
                _word_table(document, block.rows, notes)
            elif block.kind == "footnote" and notes.get(block.note_id) == block.text:
                continue  # in word/footnotes.xml
            else:
                is_title = first and block.text.lower().startswith(("delaftale", "den boligsociale helhedsplan"))
                text = block.text if block.kind != "footnote" else _superscript(block.note_id) + " " + block.text
                _add_text(
                    document.add_paragraph(style="Heading 1" if is_title else _word_style(block, False)), text, notes
                )
                first = False
            continue
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, content in part:
            row = table.add_row().cells
            row[0].text = label
            if label:
                row[0].paragraphs[0].runs[0].bold = True
            cell = row[1]
            used_first = False
            for block in content:
                if block.kind == "footnote" and notes.get(block.note_id) == block.text:
                    continue
                text = block.text if block.kind != "table" else " · ".join(" ".join(r) for r in block.rows)
                if block.kind == "footnote":
                    text = _superscript(block.note_id) + " " + block.text
                paragraph = cell.paragraphs[0] if not used_first else cell.add_paragraph()
                used_first = True
                paragraph.style = document.styles["List Bullet" if block.kind == "item" else "Normal"]
                _add_text(paragraph, text, notes, bold=block.kind == "heading")
    _add_footnotes_part(document, notes)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


_MARK = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _referenced_notes(parts) -> dict[str, str]:
    """The seed's footnotes (first text for each number) whose mark stands somewhere in the text."""
    blocks = [b for kind, part in parts for b in ([part] if kind == "block" else [x for _, c in part for x in c])]
    marks = {
        m.translate(_DIGITS)
        for b in blocks
        if b.kind != "footnote"
        for text in [b.text, *(c for r in b.rows for c in r)]
        for m in _MARK.findall(text)
    }
    notes: dict[str, str] = {}
    for block in blocks:
        if block.kind == "footnote" and block.note_id in marks and block.note_id not in notes:
            notes[block.note_id] = block.text
    return notes


def _add_text(paragraph, text: str, notes: dict[str, str], bold: bool = False) -> None:
    """Text as runs; a superscript number of a known footnote becomes a Word footnote reference."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for piece in _MARK.split(text):
        number = piece.translate(_DIGITS)
        if _MARK.fullmatch(piece or " ") and number in notes:
            run = paragraph.add_run()
            properties = OxmlElement("w:rPr")
            align = OxmlElement("w:vertAlign")
            align.set(qn("w:val"), "superscript")
            properties.append(align)
            run._r.append(properties)
            reference = OxmlElement("w:footnoteReference")
            reference.set(qn("w:id"), number)
            run._r.append(reference)
        elif piece:
            paragraph.add_run(piece).bold = bold or None


def _add_footnotes_part(document, notes: dict[str, str]) -> None:
    from xml.sax.saxutils import escape

    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        "</w:footnote>"
    )
    for number, text in notes.items():
        body += (
            f'<w:footnote w:id="{number}"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{namespace}">{body}</w:footnotes>'
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)


def _superscript(number: str) -> str:
    return number.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _word_table(document, rows: list[list[str]], notes: dict[str, str]) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for n, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row + [""] * (width - len(row))):
            _add_text(cell.paragraphs[0], text, notes, bold=n == 0)


CSS = """
@page { size: A4; margin: 2cm; @bottom-center { content: "Side " counter(page) " af " counter(pages);
        font-family: 'DejaVu Sans'; font-size: 8pt; }
        @top-right { content: "Delaftale"; font-family: 'DejaVu Sans'; font-size: 8pt; } }
body { font-family: 'DejaVu Sans'; font-size: 10pt; }
h1 { font-size: 18pt; } h2 { font-size: 14pt; } h3 { font-size: 12pt; } h4 { font-size: 11pt; }
p { margin: 0 0 0.6em 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0 1em 0; }
td, th { border: 1px solid #000; padding: 3pt; vertical-align: top; font-size: 10pt; text-align: left; }
th { font-weight: normal; }
tr { break-inside: avoid; }
tr:first-child { break-after: avoid; }
"""


def _html_block(block: Block, title: bool) -> str:
    text = html.escape(block.text)
    if block.kind == "heading" or title:
        level = 1 if title else max(2, min(block.level, 4))
        return f"<h{level}>{text}</h{level}>"
    if block.kind == "item":
        return f"<p>• {text}</p>"
    if block.kind == "footnote":
        return f"<p>{_superscript(block.note_id)} {text}</p>"
    if block.kind == "table":
        return _html_table(block.rows)
    return f"<p>{text}</p>"


def _html_table(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r + [""] * (width - len(r))) + "</tr>" for r in rows
    )
    return f"<table>{body}</table>"


def make_pdf(seed: Path, target: Path) -> Path:
    from weasyprint import HTML

    out, first = [], True
    for kind, part in layout(seed):
        if kind == "block":
            is_title = first and part.text.lower().startswith(("delaftale", "den boligsociale helhedsplan"))
            out.append(_html_block(part, is_title))
            first = False
            continue
        rows = []
        for label, content in part:
            cell = "".join(
                _html_block(b, False) if b.kind != "heading" else f"<p><b>{html.escape(b.text)}</b></p>"
                for b in content
            )
            rows.append(f"<tr><td style='width:28%'><b>{html.escape(label)}</b></td><td>{cell}</td></tr>")
        out.append(f"<table>{''.join(rows)}</table>")
    page = f"<!doctype html><html lang='da'><head><meta charset='utf-8'><style>{CSS}</style></head><body>{''.join(out)}</body></html>"
    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=page).write_pdf(str(target))
    return target
