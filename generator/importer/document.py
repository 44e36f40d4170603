"""The neutral document every reader produces: a flat list of blocks in reading order.

Word, PDF and plain text differ in how they carry structure; the recognition works on this one
shape only, so it never knows which format a document came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.base.typography import plain_digits


@dataclass
class Block:
    """One heading (with ``level``), paragraph, list item, table (``rows`` of cells) or footnote."""

    kind: str  # "heading" | "para" | "item" | "table" | "footnote"
    text: str = ""
    level: int = 0
    rows: list[list[str]] = field(default_factory=list)
    note_id: str = ""  # a footnote's number as the document writes it
    columns: tuple[int, ...] = ()  # a PDF table's column edges: a table that runs on keeps them


class ImportFejl(Exception):
    """A problem that stops the import, in Danish, for the author."""


def clean(text: str) -> str:
    """One line of running text: single spaces, no stray bullets or emphasis markers."""
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    text = re.sub(r"^[•▪◦●·\-–]\s+", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


def footnote_block(text: str) -> Block | None:
    """A line that starts with a superscript number ("² Beboerundersøgelse …") is a footnote."""
    found = re.match(r"^([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(.+)$", text.strip())
    if not found:
        return None
    return Block("footnote", clean(found.group(2)), note_id=plain_digits(found.group(1)))


def expand_schema_tables(blocks: list[Block]) -> list[Block]:
    """A two-column table whose first column holds labels ("Formål:") is a form (LBF's activity
    schema): it becomes a label heading followed by its content, like the same form in text."""
    result: list[Block] = []
    for block in blocks:
        labels = [row[0] for row in block.rows if row and row[0].strip()] if block.kind == "table" else []
        colons = sum(label.strip().endswith(":") for label in labels)
        if (
            block.kind != "table"
            or not labels
            or max(len(r) for r in block.rows) != 2
            or colons < len(labels) / 2
            or (colons < 2 and colons < len(labels))
        ):
            result.append(block)
            continue
        for row in block.rows:
            label, value = (row + ["", ""])[:2]
            if label.strip():
                result.append(Block("heading", clean(label), level=4))
            result.extend(cell_blocks(value))
    return result


def cell_blocks(value: str) -> list[Block]:
    """The paragraphs and list items of one table cell (lines; bullets mark items)."""
    blocks: list[Block] = []
    for line in re.split(r"\n+|(?=•)", value):
        if not line.strip():
            continue
        note = footnote_block(line)
        if note:
            blocks.append(note)
        elif re.match(r"^\s*[•▪◦●\-–]\s", line):
            blocks.append(Block("item", clean(line)))
        else:
            blocks.append(Block("para", clean(line)))
    return blocks
