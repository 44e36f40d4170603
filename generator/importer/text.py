"""Text as the importer writes it: normalised for matching, as Markdown for a text field, as an id.

Footnote marks (superscript digits) become Markdown footnote references where the document has
the footnote; what a document writes is escaped so that it shows as written.
"""

from __future__ import annotations

import re

from generator.base.typography import plain_digits
from generator.importer.document import Block
from generator.model.fields import suggest_id


def norm(text: str) -> str:
    """Text for matching: stripped, lower case, one space between words."""
    return re.sub(r"\s+", " ", text.strip().lower())


def _superscripts_to_refs(text: str, notes: dict[str, str], used: list[str]) -> str:
    def ref(found: re.Match) -> str:
        number = plain_digits(found.group(0))
        if number not in notes:
            return found.group(0)
        if number not in used:
            used.append(number)
        return f"[^{number}]"

    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", ref, text)


def markdown(blocks: list[Block], notes: dict[str, str] | None = None) -> str:
    """Blocks as the Markdown of one text field (footnotes whose mark is used are added at the end)."""
    notes = notes or {}
    used: list[str] = []
    out: list[str] = []
    for block in blocks:
        text = _superscripts_to_refs(_escape(block.text), notes, used)
        if block.kind == "item":
            if out and not out[-1].startswith("- "):
                out.append("")
            out.append(f"- {text}")
            continue
        if out and out[-1] != "":
            out.append("")
        if block.kind == "heading":
            out.append(f"**{text.rstrip(':')}**" if text else "")
        elif block.kind == "table":
            out.extend(f"{' · '.join(_escape(c) for c in row if c)}\n" for row in block.rows if any(row))
        elif block.kind == "footnote":
            if block.note_id not in used:
                out.append(f"{block.note_id}) {text}")
        else:
            out.append(text)
    body = "\n".join(out).strip()
    if used:
        body += "\n\n" + "\n".join(f"[^{n}]: {_escape(notes[n])}" for n in used)
    return body


def _escape(text: str) -> str:
    """Text as Markdown that shows it as written (a leading '1.' or '#' is not markup)."""
    text = re.sub(r"^(\d+)\. ", r"\1\\. ", text)
    return re.sub(r"^([#>+*])", r"\\\1", text).replace("<", "&lt;")


def one_line(blocks: list[Block]) -> str:
    return " ".join(b.text if b.kind != "table" else " ".join(" ".join(r) for r in b.rows) for b in blocks).strip()


def short_id(text: str, limit: int = 50) -> str:
    """An id from a name, cut at a word when the name is long."""
    full = suggest_id(text)
    if len(full) <= limit:
        return full
    return full[:limit].rsplit("-", 1)[0]


def tables_in(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind == "table"]


def footnote_refs(cell: str, notes: dict[str, str]) -> tuple[str, list[str]]:
    """A cell without its footnote marks, and the marks that name one of ``notes``."""
    refs = [plain_digits(m) for m in re.findall(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", cell)]
    refs = [r for r in refs if r in notes]
    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", "", cell).strip(), refs
