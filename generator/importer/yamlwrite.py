"""YAML as an author would write it, with '# TJEK: …' comments on the lines the import guessed.

A tiny writer of its own (dicts, lists, strings, numbers) rather than a YAML library: the output
must carry comments on single lines, which PyYAML cannot write; the project's reader checks it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


@dataclass
class Tjek:
    """A value the import guessed, with the Danish reason shown to the author."""

    value: Any
    note: str


_PLAIN = re.compile(r"^[A-Za-zÆØÅæøåÉé(][^\n#:]*$")
#: characters YAML reads as line breaks or refuses in a plain or block scalar: such text is escaped
_SPECIAL = re.compile("[\u2028\u2029\x85\r\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_RESERVED = {"yes", "no", "true", "false", "null", "on", "off", "y", "n", "ja", "nej"}


def unwrap(value: Any) -> Any:
    """The data without the comments (what the validation sees)."""
    if isinstance(value, Tjek):
        return unwrap(value.value)
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def _scalar(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _SPECIAL.search(text):
        return json.dumps(text)  # every special character as an escape
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    if _PLAIN.match(text) and text == text.strip() and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def _block(value: Any) -> bool:
    """Text of several lines is written as a block (``|``), as authors write it; the block's first
    line may not start with a space (YAML would take it for the indentation)."""
    return (
        isinstance(value, str)
        and "\n" in value.strip()
        and not _SPECIAL.search(value)
        and not value.strip("\n")[:1].isspace()
    )


def _comment(note: str | None) -> str:
    return f"  # TJEK: {' '.join(note.split())}" if note else ""


def dump(data: dict, header: str = "") -> str:
    lines = [header] if header else []
    _mapping(data, 0, lines)
    return "\n".join(lines) + "\n"


def _mapping(data: dict, indent: int, lines: list[str], first_prefix: str | None = None) -> None:
    for n, (key, value) in enumerate(data.items()):
        prefix = first_prefix if (first_prefix is not None and n == 0) else " " * indent
        _entry(f"{prefix}{key}:", value, indent, lines)


def _entry(head: str, value: Any, indent: int, lines: list[str]) -> None:
    note = None
    if isinstance(value, Tjek):
        note, value = value.note, value.value
    if isinstance(value, dict):
        lines.append(head + _comment(note))
        _mapping(value, indent + 2, lines)
    elif isinstance(value, list) and not value:
        lines.append(f"{head} []" + _comment(note))
    elif isinstance(value, list):
        lines.append(head + _comment(note))
        for item in value:
            _item(item, indent + 2, lines)
    elif _block(value):
        lines.append(f"{head} |" + _comment(note))
        pad = " " * (indent + 2)
        lines.extend(pad + line if line.strip() else "" for line in value.rstrip().split("\n"))
    else:
        lines.append(f"{head} {_scalar(value)}" + _comment(note))


def _item(value: Any, indent: int, lines: list[str]) -> None:
    note = None
    if isinstance(value, Tjek):
        note, value = value.note, value.value
    pad = " " * indent
    if isinstance(value, dict):
        start = len(lines)
        _mapping(value, indent + 2, lines, first_prefix=pad + "- ")
        if note:
            lines[start] += _comment(note)
    elif isinstance(value, list) and value:
        lines.append(f"{pad}-" + _comment(note))
        for inner in value:
            _item(inner, indent + 2, lines)
    elif _block(value):
        lines.append(f"{pad}- |" + _comment(note))
        lines.extend(" " * (indent + 2) + line if line.strip() else "" for line in value.rstrip().split("\n"))
    else:
        lines.append(f"{pad}- {_scalar(value)}" + _comment(note))
