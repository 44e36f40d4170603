"""The tables of an agreement: delmål and indicators, success criteria, budgets.

Each reader takes one table block and returns the model's rows; a cell's footnote marks become
the row's ``fodnoter`` when the document has the footnote.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from generator.importer.document import Block
from generator.importer.text import footnote_refs, norm
from generator.importer.yamlwrite import Tjek, unwrap
from generator.model.indicators import INDICATOR_COLUMNS
from generator.model.tables import UKENDT, UNKNOWN_LOOKALIKE, Summetabel

#: The indicator table's columns as an agreement shows them, each recognised by its heading.
INDICATOR_TABLE_COLUMNS = [c for c in INDICATOR_COLUMNS if c.on_page]
AKTIVITETSNAER = re.compile(r"^akt(ivitets)?\.?\s*nær", re.I)


def _columns(header: list[str]) -> list[str]:
    """Which field each column of the indicator table holds, from its header (as the agreement names it)."""
    names = []
    for cell in header:
        low = norm(cell)
        names.append(next((c.field for c in INDICATOR_TABLE_COLUMNS if re.match(c.pattern or "", low)), ""))
    return names if "tekst" in names else [c.field for c in INDICATOR_TABLE_COLUMNS]


def indicator_rows(table: Block, notes: dict[str, str], leftover: list) -> list[dict]:
    """The delmål/indicator table: Delmål · Indikator · Baseline · Evt. anden baseline · Baseline år · Datakilde
    (columns found by their header; a table without one is read in this order)."""
    goals: list[dict] = []
    rows = [[" ".join(c.split()) for c in row] for row in table.rows]
    columns = _columns(rows[0]) if rows else []
    for row in rows:
        if norm(row[0] if row else "").startswith("delmål") and len(row) > 1 and norm(row[1]).startswith("indikator"):
            continue
        cells = dict(zip(columns, row))
        goal, text = cells.get("delmaal", ""), cells.get("tekst", "")
        if (not text and not goal) or all(re.fullmatch(r"[-–—\s]*", c) for c in row):
            continue  # an empty row, or a Markdown-like rule left by the extraction
        if goals and re.match(r"^[a-zæøå]", goal or text):  # a row cut by a page break: the rest of the one before
            _continue_row(goals[-1], cells)
            continue
        if not goal and not goals:  # a line under the header before the first goal: sub-headings and a note
            names = {k: cells[k] for k in ("baseline", "anden_baseline") if cells.get(k)}
            if names:
                leftover.append(Tjek(names, "underoverskrifter i tabellen"))
            rest = [c for k, c in cells.items() if c and k not in names]
            if rest:
                leftover.append(" · ".join(rest))
            continue
        indicator: dict = {}
        text, refs = footnote_refs(text, notes)
        indicator["tekst"] = text or Tjek(goal, "indikatoren mangler i tabellen: delmålet er brugt")
        if AKTIVITETSNAER.match(text):
            indicator["type"] = Tjek("aktivitetsnaer", "aktivitetsnær ud fra teksten")
        for name in ("baseline", "anden_baseline"):
            if cells.get(name):
                indicator[name] = cells[name]
        year = cells.get("baseline_aar", "").strip()
        if re.fullmatch(r"(19|20)\d\d", year):
            indicator["baseline_aar"] = int(year)
        elif year:
            indicator["baseline"] = Tjek(
                f"{cells.get('baseline', '')} ({year})".strip(), f"'{year}' er ikke et årstal: sat ind i baseline"
            )
        if cells.get("datakilde"):
            indicator["datakilde"] = cells["datakilde"]
        if refs:
            indicator["fodnoter"] = refs
        if goal:
            goals.append({"tekst": goal, "indikatorer": []})
        goals[-1]["indikatorer"].append(indicator)
    return goals


def _continue_row(goal: dict, cells: dict[str, str]) -> None:
    if cells.get("delmaal"):
        goal["tekst"] = f"{goal['tekst']} {cells['delmaal']}"
    indicator = goal["indikatorer"][-1]
    for name in ("tekst", "baseline", "anden_baseline", "datakilde"):
        if cells.get(name):
            indicator[name] = f"{indicator.get(name, '')} {cells[name]}".strip()


def criteria_rows(table: Block, notes: dict[str, str]) -> list[dict]:
    """A success-criterion table: Succeskriterium · Datakilde."""
    rows = []
    for row in table.rows:
        cells = [" ".join(c.split()) for c in (row + ["", ""])[:2]]
        if norm(cells[0]).startswith("succeskriteri") or not any(cells):
            continue
        text, refs = footnote_refs(cells[0], notes)
        item: dict = {"tekst": text or Tjek("(ikke udfyldt)", "succeskriteriet er tomt i aftalen")}
        if cells[1]:
            item["datakilde"] = cells[1]
        if refs:
            item["fodnoter"] = refs
        rows.append(item)
    return rows


def _amount(text: str) -> str:
    return re.sub(r"<[^>]+>|\s|kr\.?", "", text)


_TOTAL_LABEL = re.compile(r"samlet|total|i alt", re.I)


def _unknown(amount: str) -> bool:
    """Whether a cell says the amount is not known yet, as the model reads it ('ukendt', '??', '-')."""
    return amount.lower() == UKENDT or bool(UNKNOWN_LOOKALIKE.fullmatch(amount))


def _budget_cell(text: str) -> Any:
    """An amount as the document writes it; '??', '-' or 'ukendt' (a draft's budget) -> ukendt,
    marked for the author."""
    amount = _amount(text)
    if _unknown(amount):
        return Tjek("ukendt", f"aftalen skriver '{amount}': beløbet kendes ikke endnu")
    return amount


def _valid_table(table: dict) -> bool:
    """Whether the model takes the table as read (its totals add up): a wrong total would stop the
    draft from validating, so the caller leaves it for the author instead."""
    try:
        Summetabel.model_validate(unwrap(table))
    except ValidationError:
        return False
    return True


def budget_table(table: Block) -> dict | None:
    """A budget (Indsatsområdets økonomi, a plan's budget): rows of a name and one amount per
    column (years, funding sources), with the column headings from the header row and the total
    row, as the document has them. One amount column is the two-column shorthand
    (Organisation · Finansiering)."""
    cleaned = [[re.sub(r"<[^>]+>", "", " ".join(c.split())).strip() for c in row] for row in table.rows]
    width = max((len(r) for r in cleaned), default=0)
    if width < 2:
        return None
    header, body = None, cleaned
    first = (cleaned[0] + [""] * width)[:width]
    if (
        width > 2
        and first[1:]
        and not any(re.search(r"\d", c) and not re.fullmatch(r"(19|20)\d\d", c) for c in first[1:])
    ):
        header, body = first, cleaned[1:]  # the column headings (years count as headings)
    columns = width - 1 if header else 1
    rows, total = [], None
    for row in body:
        cells = (row + [""] * width)[: columns + 1]
        amounts = cells[1:]
        if not any(re.search(r"\d", a) or _unknown(_amount(a)) for a in amounts):
            continue
        values = [_budget_cell(a) if a.strip() else Tjek("ukendt", "cellen er tom i aftalen") for a in amounts]
        if _TOTAL_LABEL.search(cells[0]):
            total = (cells[0], values)
        else:
            rows.append({"betegnelse": cells[0], "beloeb": values if header else values[0]})
    if not rows:
        return None
    result: dict[str, Any] = {}
    if header:
        result["betegnelse_kolonne"] = header[0] or Tjek("Post", "overskriften over rækkernes navne mangler")
        result["kolonner"] = header[1:]
    result["raekker"] = rows
    with_total = (
        {**result, "total_betegnelse": total[0], "total": total[1] if header else total[1][0]} if total else None
    )
    if with_total and _valid_table(with_total):
        result = with_total
    elif total is not None:
        # A total that does not add up would stop the draft from validating: the rows are kept,
        # the stated total is said in a comment on the table for the author to check.
        written = ", ".join(str(unwrap(v)) for v in total[1])
        result["raekker"] = Tjek(
            rows,
            f"aftalens total ({total[0]}: {written}) passer ikke med rækkerne — "
            "tjek tallene, og skriv total_betegnelse og total",
        )
    return result
