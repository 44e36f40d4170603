"""Markdown tables in the agreements' text fields reflow on phones like the templates' tables.

cmark-gfm writes a Markdown table as a plain ``<table>``; on a phone such a table only scrolls
sideways. Here each gets the classes and the cells' column names (``data-label``) and ARIA roles
that the templates write for their own tables (komponenter/indikatortabel.md.j2), so
delaftaler.css reflows it: each row a block, each cell under its column's name.
"""

from __future__ import annotations

import re

_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEADER = re.compile(r"<th(?: [^>]*)?>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<td( [^>]*)?>")
_TAG = re.compile(r"<[^>]+>")


def reflowing(html: str) -> str:
    def table(match: re.Match) -> str:
        inner = match[1]
        head_end = inner.find("</thead>")
        if head_end < 0:
            return match[0]
        names = [_TAG.sub("", name).strip().replace('"', "&quot;") for name in _HEADER.findall(inner[:head_end])]
        head = inner[:head_end].replace("<thead>", '<thead role="rowgroup">').replace("<tr>", '<tr role="row">')
        head = re.sub(r"<th( [^>]*)?>", lambda m: f'<th scope="col" role="columnheader"{m[1] or ""}>', head)

        def row(match: re.Match) -> str:
            cells = iter(names)
            return (
                '<tr role="row">'
                + _CELL.sub(lambda m: f'<td role="cell" data-label="{next(cells, "")}"{m[1] or ""}>', match[1])
                + "</tr>"
            )

        body = _ROW.sub(row, inner[head_end:]).replace("<tbody>", '<tbody role="rowgroup">')
        return f'<table class="indikatortabel teksttabel" role="table">{head}{body}</table>'

    return _TABLE.sub(table, html) if "<table>" in html else html
