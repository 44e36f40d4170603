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
SCHEMA_LABEL = re.compile(r"^(cfbu|formål|målgruppe|indhold og praksis|succeskriterier og datakilde|"
                          r"ansvars- og rollefordeling)", re.I)


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
    import docx

    document = docx.Document()
    first = True
    for kind, part in layout(seed):
        if kind == "block":
            block = part
            if block.kind == "table":
                _word_table(document, block.rows)
            else:
                is_title = first and block.text.lower().startswith(("delaftale", "den boligsociale helhedsplan"))
                text = block.text if block.kind != "footnote" else _superscript(block.note_id) + " " + block.text
                document.add_paragraph(text, style="Heading 1" if is_title else _word_style(block, False))
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
            cell.paragraphs[0].text = ""
            used_first = False
            for block in content:
                text = block.text if block.kind != "table" else " · ".join(" ".join(r) for r in block.rows)
                if block.kind == "footnote":
                    text = _superscript(block.note_id) + " " + block.text
                paragraph = cell.paragraphs[0] if not used_first else cell.add_paragraph()
                used_first = True
                paragraph.text = text
                paragraph.style = document.styles["List Bullet" if block.kind == "item" else "Normal"]
                if block.kind == "heading":
                    for run in paragraph.runs:
                        run.bold = True
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


def _superscript(number: str) -> str:
    return number.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _word_table(document, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for n, row in enumerate(rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, row + [""] * (width - len(row))):
            cell.text = text
            if n == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


CSS = """
@page { size: A4; margin: 2cm; }
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
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r + [""] * (width - len(r))) + "</tr>"
                   for r in rows)
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
            cell = "".join(_html_block(b, False) if b.kind != "heading" else f"<p><b>{html.escape(b.text)}</b></p>"
                           for b in content)
            rows.append(f"<tr><td style='width:28%'><b>{html.escape(label)}</b></td><td>{cell}</td></tr>")
        out.append(f"<table>{''.join(rows)}</table>")
    page = f"<!doctype html><html lang='da'><head><meta charset='utf-8'><style>{CSS}</style></head><body>{''.join(out)}</body></html>"
    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=page).write_pdf(str(target))
    return target
