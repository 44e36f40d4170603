"""Plain text as Word/PDF extraction leaves it: paragraphs on lines, tab-separated table rows,
'- ' items, and the artefacts of extraction (HTML fragments from table cells, glued '**'
headings, page-break blank lines, a table of contents)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.importer.document import Block, ImportFejl, clean, footnote_block

_LABEL = re.compile(r"^[^\t]{2,160}:$")
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s*[A-ZÆØÅ].{0,100}$")


def read_text_file(path: Path) -> list[Block]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return blocks_from_text(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise ImportFejl(f"{path}: filen kan ikke læses som tekst — gem den som UTF-8")  # pragma: no cover


def _unwrap_markup(text: str) -> str:
    text = text.replace("\r", "")
    text = re.sub(r"<u>(.*?)</u>", lambda m: "\n§H " + m.group(1) + "\n", text, flags=re.S)
    text = re.sub(r"<(?:ul|/ul|ol|/ol|p|/p|br|br/|li|/li|div|/div)\b[^>]*>", "\n", text)
    text = re.sub(r"</?(?:i|b|em|strong|span|sup)\b[^>]*>", "", text)
    text = text.replace("•", "\n- ")
    text = text.replace("**", "\n")
    return text


def _unwrap_lines(text: str) -> list[str]:
    """Markup unwrapped into lines; a table row (tabs) keeps its cells on one line."""
    lines: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        if "\t" in line:
            cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell.replace("•", " "))) for cell in line.split("\t")]
            lines.append("\t".join(cells))
        else:
            lines.extend(_unwrap_markup(line).split("\n"))
    return lines


def blocks_from_text(text: str) -> list[Block]:
    blocks: list[Block] = []
    pending_break = False
    for line in _unwrap_lines(text):
        if not line.strip():
            pending_break = True
            continue
        if re.search(r"\.{4,}\s*\t?\d*\s*$", line) or re.search(r"\t\d+\s*$", line):
            continue  # a table-of-contents line
        stripped = line.strip()
        if stripped.startswith("§H "):
            blocks.append(Block("heading", clean(stripped[3:]), level=4))
        elif "\t" in line.rstrip():
            cells = [clean(c) for c in line.rstrip().split("\t")]  # a leading tab is an empty first cell
            while cells and not cells[-1]:
                cells.pop()
            if len(cells) == 1:
                blocks.append(_line_block(cells[0]))
            elif blocks and blocks[-1].kind == "table" and not pending_break:
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
        else:
            block = _line_block(stripped)
            previous = blocks[-1] if blocks else None
            if (
                previous is not None
                and block.kind == "para"
                and previous.kind in ("para", "item")
                and pending_break
                and re.match(r"^[a-zæøå]", block.text)
                and not re.search(r"[.:!?)]$", previous.text)
            ):
                previous.text += " " + block.text  # a paragraph cut by a page break
            else:
                blocks.append(block)
        pending_break = False
    return blocks


def _line_block(line: str) -> Block:
    note = footnote_block(line)
    if note:
        return note
    if re.match(r"^[-•–]\s+", line):
        return Block("item", clean(line))
    text = clean(line)
    if _NUMBERED.match(text) and not text.endswith("."):
        return Block("heading", text, level=min(4, text.split()[0].rstrip(".").count(".") + 2))
    if _LABEL.match(text):
        return Block("heading", text, level=4)
    return Block("para", text)
