"""Recognise an LBF agreement in the neutral document and build the draft's data.

The document is cut at the labels LBF's templates use ("Delaftalens parter:", "Aktivitetsnavn:",
…) into sections; each section has a small function that turns its blocks into the field(s) of
the model. Standard texts (the template supplies them) and form instructions are dropped; text
that no section claims is kept in the nearest free-text field and reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.base.typography import plain_digits
from generator.importer.dates import parse_period
from generator.importer.document import Block, ImportFejl
from generator.importer.yamlwrite import Tjek, unwrap
from generator.model.fields import suggest_id
from generator.model.indicators import INDICATOR_COLUMNS
from generator.model.outline import standard_outline
from generator.model.tables import UKENDT, UNKNOWN_LOOKALIKE, Summetabel

#: (section key, pattern) — a heading or short paragraph matching the pattern starts the section
TOP_ANCHORS = [
    ("titel", r"^delaftale for indsatsområdet\s+(.+)$"),
    ("plannavn", r"^navn på den boligsociale indsats"),
    ("periode", r"^(del)?aftalen gælder fra"),
    ("parter", r"^(delaftalens|aftalens) parter\s*:?\s*$"),
    ("delmaal", r"^delmål og indikatorer"),
    ("problemkompleks", r"^problemkompleks"),
    ("formaal_og_maal", r"^formål, mål og succeskriterier"),
    ("skemainstruks", r"^aktiviteter, som skal bidrage.*tilføj skemaer"),
    ("aktivitetsliste", r"^aktiviteter, som skal bidrage"),
    ("medarbejderressourcer", r"^medarbejderressourcer"),
    ("sammenhaeng_kommunal", r"^sammenhæng med (den )?kommunal"),
    ("sammenhaeng_fysisk", r"^sammenhæng med den fysiske"),
    ("oekonomi", r"^indsatsområdets økonomi"),
    ("konflikthaandtering", r"^konflikthåndtering"),
    ("revision", r"^revision af delaftalen"),
    ("aktivitet", r"^aktivitetsnavn"),
]
ACTIVITY_ANCHORS = [
    ("cfbu", r"^cfbu:"),
    ("indhold", r"^indhold og praksis"),
    ("formaal", r"^formål( og mål)?:?$"),
    ("maalgrupper", r"^målgruppe(\(r\)|r)?\s*(:|$)"),
    ("succeskriterier", r"^succeskriterier og datakilde"),
    ("roller", r"^ansvars- og rollefordeling"),
]
FORM_INSTRUCTIONS = [r"tilføj skemaer", r"^her anføres", r"^\(her anføres"]


@dataclass
class Draft:
    """What recognition found: the plan (when new) and one version per delaftale, with its report."""

    plan: dict
    versions: list[dict]
    report: list[str] = field(default_factory=list)


@dataclass
class Section:
    key: str
    label: Block | None
    blocks: list[Block]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def _match(block: Block, anchors) -> tuple[str, re.Match] | None:
    if block.kind not in ("heading", "para") or len(block.text) > 300:
        return None
    if block.kind == "para" and block.text.rstrip().endswith("."):
        return None  # a sentence, not a label
    for key, pattern in anchors:
        found = re.match(pattern, _norm(block.text))
        if found:
            return key, found
    return None


def split_sections(blocks: list[Block]) -> list[Section]:
    sections = [Section("indledning", None, [])]
    in_activity = False
    for block in blocks:
        hit = _match(block, TOP_ANCHORS)
        sub = _match(block, ACTIVITY_ANCHORS) if in_activity else None
        if sub and not (hit and hit[0] != "aktivitet" and hit[0] in ("formaal_og_maal",)):
            sections.append(Section("a:" + sub[0], block, []))
        elif hit:
            in_activity = hit[0] == "aktivitet" or (in_activity and hit[0] == "skemainstruks")
            sections.append(Section(hit[0], block, []))
        else:
            sections[-1].blocks.append(block)
    return sections


# --------------------------------------------------------------------------- standard texts


def _grams(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def template_grams(templates: Path, skabelon: str) -> set[tuple[str, ...]]:
    path = templates / "delaftale" / f"{skabelon}.md.j2"
    if not path.is_file():  # without it, LBF's standard texts would be imported as the agreement's own
        raise ImportFejl(
            f"skabelonen {path} findes ikke — kør importen fra projektets mappe (med templates/ ved "
            "siden af agreements/)"
        )
    text = path.read_text(encoding="utf-8")
    return _grams(re.sub(r"\{[{%#].*?[}%#]\}", " ", text, flags=re.S))


def is_standard_text(block: Block, standard: set) -> bool:
    if any(re.search(p, _norm(block.text)) for p in FORM_INSTRUCTIONS):
        return True
    grams = _grams(block.text)
    return bool(grams) and len(grams & standard) >= 0.8 * len(grams)


# --------------------------------------------------------------------------- text fields


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


# --------------------------------------------------------------------------- parties


PARTY_TYPES = [
    ("boligsocial_indsats", r"sekretariat|helhedsplan|boligsocial"),
    ("politi", r"politi"),
    ("kommune", r"kommune|forvaltning|ssp|jobcenter|skole|bibliotek|\b(sof|buf|økf|tmf|kff|bif)\b"),
    (
        "boligorganisation",
        r"boligselskab|boligforening|boligorganisation|bolig|ejendomskontor|afdelingsbestyrelse|lejerbo|\b3b\b|fsb|kab\b",
    ),
    ("forening", r"forening|frivillig|klub"),
]


def short_id(text: str, limit: int = 50) -> str:
    """An id from a name, cut at a word when the name is long."""
    full = suggest_id(text)
    if len(full) <= limit:
        return full
    return full[:limit].rsplit("-", 1)[0]


def guess_type(name: str) -> str:
    low = name.lower()
    return next((kind for kind, pattern in PARTY_TYPES if re.search(pattern, low)), "andet")


class Parties:
    """The plan's parties: those of an existing plan.yaml, and those the import registers."""

    def __init__(self, existing: list[dict], can_add: bool = True):
        self.known = list(existing)
        self.new: list[dict] = []
        self.can_add = can_add  # False for a plan that exists: its plan.yaml is not changed

    def find(self, name: str) -> str | None:
        wanted = suggest_id(name)
        for party in self.known + self.new:
            if party["id"] == wanted or suggest_id(party["navn"]) == wanted:
                return party["id"]
        return None

    def register(self, name: str) -> str | None:
        found = self.find(name)
        if found or not self.can_add:
            return found
        party_id = short_id(name)
        kind = guess_type(name)
        self.new.append({"id": party_id, "navn": name, "type": Tjek(kind, f"typen er gættet ud fra navnet '{name}'")})
        return party_id


_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
TITLE_WORD = re.compile(
    r"(chef|leder|formand|fører|direktør|koordinator|konsulent|medarbejder|rådgiver|sekretær|"
    r"inspektør|mester|vejleder|ansvarlig)$",
    re.I,
)


def contact(text: str) -> dict | None:
    """'SSP-Fagchef Jens Ansbjerg' -> title and name (the name: the last capitalised words)."""
    email = re.search(_EMAIL, text)
    rest = re.sub(_EMAIL, "", text).strip(" ,-–")
    words = rest.split()
    cut = len(words)
    while cut > 0 and re.match(r"^[A-ZÆØÅ][\w.-]*$", words[cut - 1]) and len(words) - cut < 3:
        cut -= 1
    while cut < len(words) - 1 and TITLE_WORD.search(words[cut].rstrip(",")):
        cut += 1  # "SSP-Fagchef Jens Ansbjerg": a capitalised title is still a title
    if cut == len(words):
        return None
    person: dict = {"navn": " ".join(words[cut:])}
    if cut:
        person["titel"] = " ".join(words[:cut]).rstrip(",")
    if email:
        person["email"] = email.group(0)
    return person


def participant(text: str) -> dict | str:
    """One line of the parties list: a free name, with contact persons in brackets or after commas."""
    found = re.match(r"^(.*?)\s*\((.+)\)\s*$", text)
    if found:
        persons = [contact(p) for p in re.split(r"(?<!-)\s+og\s+", found.group(2))]  # not "Borgerservice- og …"
        if all(persons):
            return {
                "navn": found.group(1).strip(" ,"),
                "kontaktpersoner": [Tjek(p, "titel og navn er delt automatisk") for p in persons],
            }
    if re.search(_EMAIL, text):
        parts = [p.strip() for p in text.split(",") if p.strip()]
        person = contact(", ".join(p for p in parts if re.search(_EMAIL, p) or p == parts[0]))
        organisation = ", ".join(p for p in parts[1:] if not re.search(_EMAIL, p))
        if person and organisation:
            return {"navn": organisation, "kontaktpersoner": [Tjek(person, "titel, navn og e-mail er delt automatisk")]}
    return text


def party_groups(blocks: list[Block]) -> list[dict]:
    groups: list[dict] = []
    for block in blocks:
        if block.kind == "heading" or (block.kind == "para" and block.text.endswith(":")):
            groups.append({"gruppe": block.text.rstrip(":").strip(), "deltagere": []})
            continue
        if not groups:
            groups.append({"deltagere": []})
        lines = [block.text] if block.kind != "table" else [" ".join(r) for r in block.rows]
        groups[-1]["deltagere"].extend(participant(line) for line in lines if line)
    for group in groups:
        if not group["deltagere"]:
            group["deltagere"] = [Tjek(group.pop("gruppe"), "en overskrift uden parter under sig: tjek gruppen")]
    return [g for g in groups if g["deltagere"]]


# --------------------------------------------------------------------------- tables


def _tables(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if b.kind == "table"]


def _refs(cell: str, notes: dict[str, str]) -> tuple[str, list[str]]:
    refs = [plain_digits(m) for m in re.findall(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", cell)]
    refs = [r for r in refs if r in notes]
    return re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", "", cell).strip(), refs


#: The indicator table's columns as an agreement shows them, each recognised by its heading.
INDICATOR_TABLE_COLUMNS = [c for c in INDICATOR_COLUMNS if c.on_page]
AKTIVITETSNAER = re.compile(r"^akt(ivitets)?\.?\s*nær", re.I)


def _columns(header: list[str]) -> list[str]:
    """Which field each column of the indicator table holds, from its header (as the agreement names it)."""
    names = []
    for cell in header:
        low = _norm(cell)
        names.append(next((c.field for c in INDICATOR_TABLE_COLUMNS if re.match(c.pattern or "", low)), ""))
    return names if "tekst" in names else [c.field for c in INDICATOR_TABLE_COLUMNS]


def indicator_rows(table: Block, notes: dict[str, str], leftover: list) -> list[dict]:
    """The delmål/indicator table: Delmål · Indikator · Baseline · Evt. anden baseline · Baseline år · Datakilde
    (columns found by their header; a table without one is read in this order)."""
    goals: list[dict] = []
    rows = [[" ".join(c.split()) for c in row] for row in table.rows]
    columns = _columns(rows[0]) if rows else []
    for row in rows:
        if _norm(row[0] if row else "").startswith("delmål") and len(row) > 1 and _norm(row[1]).startswith("indikator"):
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
        text, refs = _refs(text, notes)
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
        if _norm(cells[0]).startswith("succeskriteri") or not any(cells):
            continue
        text, refs = _refs(cells[0], notes)
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


# --------------------------------------------------------------------------- activities


def roles(blocks: list[Block], parties: Parties, notes: dict[str, str]) -> dict:
    """'Ansvars- og rollefordeling': a heading per party ('Det Boligsociale Sekretariat:') with its
    duties as items or a text; text before the first party is the introduction."""
    intro: list[Block] = []
    found: list[dict] = []
    by_party: dict[str, dict] = {}
    for block in blocks:
        holder = (
            block.text.rstrip(":").strip()
            if block.kind in ("heading", "para")
            and (block.text.endswith(":") or block.kind == "heading")
            and len(block.text) < 120
            else None
        )
        if holder and not re.match(r"^(roller og ansvar|kontakt)", holder.lower()):
            name = re.sub(r"(s)?\s+(rolle|ansvar|opgaver)( er)?$", "", holder).split("/")[0].strip() or holder
            party_id = parties.register(name)
            role = by_party.get(party_id or name)
            if role is None:
                role = {"part": party_id} if party_id else {"navn": Tjek(name, "ikke en part i plan.yaml")}
                if name != holder:
                    role["betegnelse"] = holder
                by_party[party_id or name] = role
                found.append(role)
            continue
        if not found:
            intro.append(block)
            continue
        role = found[-1]
        if block.kind == "item":
            role.setdefault("opgaver", []).append(markdown([Block("para", block.text)], notes))
        else:
            role["tekst"] = (role.get("tekst", "") + "\n\n" + markdown([block], notes)).strip()
    for role in found:
        if not role.get("opgaver") and not role.get("tekst"):
            role["tekst"] = Tjek("(ingen opgaver angivet)", "rollen har ingen tekst i aftalen")
    result: dict = {}
    if intro:
        result["roller_indledning"] = markdown(intro, notes)
    if found:
        result["roller"] = found
    if not result:
        result["roller_indledning"] = Tjek(
            "(ingen rollefordeling angivet)", "aktiviteten har ingen rollefordeling i aftalen"
        )
    return result


def activity(
    sections: list[Section], parties: Parties, notes: dict[str, str], skabelon: str, report: list[str]
) -> dict:
    """One activity schema: the 'aktivitet' section and the sub-sections that follow it."""
    head = sections[0]
    name_blocks = [b for b in head.blocks if b.kind != "table"]
    inline = re.sub(r"^aktivitetsnavn:?\s*", "", head.label.text, flags=re.I).strip() if head.label else ""
    name = inline or (name_blocks[0].text if name_blocks else "")
    rest = name_blocks[0:0] if inline else name_blocks[1:]
    item: dict = {}
    level = re.search(r"\((beboer|kvarter|bydels)niveau\)", name, re.I)
    if skabelon == "lbf-2017" and level:
        item["niveau"] = level.group(1).lower() + "niveau"
    cfbu_inline = re.search(r"\s*CFBU:\s*(.+)$", name)
    if cfbu_inline:
        item["cfbu"] = cfbu_inline.group(1).strip()
        name = name[: cfbu_inline.start()]
    clean_name = (
        re.sub(r"\s*\((beboer|kvarter|bydels)niveau\)", "", name, flags=re.I).strip() if level else name.strip()
    )
    item = {"id": short_id(clean_name), "navn": clean_name or Tjek("Aktivitet", "navnet mangler"), **item}
    fields: dict[str, list[Block]] = {}
    for section in sections[1:]:
        key = section.key[2:]
        if key == "cfbu":
            inline = re.sub(r"^cfbu:\s*", "", section.label.text, flags=re.I).strip()  # 'CFBU: …' on the label's line
            item["cfbu"] = inline or one_line(section.blocks)
            extra = section.blocks if inline else []
            fields.setdefault("indhold", []).extend(extra)
        else:
            fields.setdefault(key, []).extend(section.blocks)
    if rest:
        fields.setdefault("indhold", [])[0:0] = rest
    item["formaal"] = markdown(fields.get("formaal", []), notes) or None
    item["maalgrupper"] = markdown(fields.get("maalgrupper", []), notes) or None
    success_blocks = fields.get("succeskriterier", [])
    criteria = [row for t in _tables(success_blocks) for row in criteria_rows(t, notes)]
    loose = [b for b in success_blocks if b.kind != "table"]
    if skabelon == "lbf-2017":
        if criteria:
            item["succeskriterier"] = criteria
        if loose:
            fields.setdefault("indhold", []).extend(loose)
        if any(b.kind != "footnote" for b in loose):  # a footnote finds its mark wherever it stands
            report.append(f"aktiviteten '{clean_name}': succeskriterier uden tabel er lagt i 'indhold'")
    else:
        fields.setdefault("indhold", []).extend(success_blocks)
    item["indhold"] = markdown(fields.get("indhold", []), notes) or Tjek(
        "(intet indhold angivet)", "aktiviteten har ingen beskrivelse af indhold og praksis i aftalen"
    )
    item.update(roles(fields.get("roller", []), parties, notes))
    for key in ("formaal", "maalgrupper"):
        if item.get(key) is None:
            if key == "formaal" and skabelon == "lbf-2017":
                item.pop(key)
            else:
                item[key] = Tjek("(ikke angivet)", "feltet er tomt i aftalen")
    return item


# --------------------------------------------------------------------------- the agreement

#: Free-text fields of each generation, in document order: unplaced text goes to the nearest one.
TEXT_FIELDS = {
    "lbf-2019": ["medarbejderressourcer", "sammenhaeng_fysisk", "sammenhaeng_kommunal", "revision"],
    "lbf-2017": [
        "problemkompleks",
        "formaal_og_maal",
        "aktiviteter_indledning",
        "medarbejderressourcer",
        "sammenhaeng_kommunal",
        "konflikthaandtering",
        "revision",
    ],
}


def guess_generation(blocks: list[Block]) -> str:
    text = " ".join(_norm(b.text) for b in blocks[:400] if b.kind != "table")
    if "problemkompleks for indsatsområdet" in text or "indsatsområdets økonomi" in text:
        return "lbf-2017"
    if "delmål og indikatorer" in text:
        return "lbf-2019"
    if re.search(r"\bvision\b", text) and "indsatsområder" in text:
        return "helhedsplan-2013"
    raise ImportFejl(
        "dokumentet ligner ingen af LBF's skabeloner (ingen 'Delmål og indikatorer', "
        "'Problemkompleks for indsatsområdet' eller helhedsplanens afsnit) — angiv --skabelon"
    )


def build_delaftale(
    blocks: list[Block],
    skabelon: str,
    plan_id: str | None,
    existing_parties: list[dict] | None,
    templates: Path,
    areas: AreaLookup,
) -> Draft:
    """The draft of one delaftale; ``existing_parties`` are those of a plan that exists (None: a new plan)."""
    if skabelon == "helhedsplan-2013":
        from generator.importer.recognize2013 import build_helhedsplan

        return build_helhedsplan(blocks, plan_id, areas)
    if skabelon not in TEXT_FIELDS:
        raise ImportFejl(
            f"import af skabelonen '{skabelon}' er ikke understøttet endnu — understøttet: {', '.join(TEXT_FIELDS)}"
        )
    standard = template_grams(templates, skabelon)
    notes = {b.note_id: b.text for b in blocks if b.kind == "footnote"}
    sections = split_sections(blocks)
    report: list[str] = []
    parties = Parties(existing_parties or [], can_add=existing_parties is None)
    data: dict = {}
    texts: dict[str, list[Block]] = {}
    pending: list[tuple[str, Block]] = []
    activities: list[list[Section]] = []
    activity_list: list[str] = []
    footnotes_under_table: list[Block] = []

    def free(blocks_: list[Block]) -> list[Block]:
        return [b for b in blocks_ if not is_standard_text(b, standard)]

    for section in sections:
        key, body = section.key, free(section.blocks)
        if key.startswith("a:") and activities:
            activities[-1].append(section)
        elif key == "aktivitet":
            activities.append([section])
        elif key == "titel":
            data["indsatsomraade"] = re.sub(
                r"^delaftale for indsatsområdet\s+", "", section.label.text, flags=re.I
            ).strip(" *_")
            pending += [("før parterne", b) for b in body]
        elif key == "plannavn":
            inline = section.label.text.split(":", 1)[1].strip() if ":" in section.label.text[:-1] else ""
            data["_plannavn"] = inline or (body[0].text if body else "")
            pending += [("efter planens navn", b) for b in body[0 if inline else 1 :]]
        elif key == "periode":
            inline = section.label.text.split(":", 1)[1] if ":" in section.label.text[:-1] else ""
            line = inline or (body[0].text if body else "")
            data["_periode"] = (parse_period(line), line)
            pending += [("efter perioden", b) for b in body[0 if inline else 1 :]]
        elif key == "parter":
            data["parter"] = party_groups(body)
        elif key == "delmaal":
            tables = [t for t in _tables(body) if t.rows and max(len(r) for r in t.rows) >= 4]
            column_notes: list[str] = []
            # one table, even where a page break cut it in two
            goals = indicator_rows(Block("table", rows=[r for t in tables for r in t.rows]), notes, column_notes)
            body = body + [Block("para", line) for line in column_notes if isinstance(line, str)]
            for names in column_notes:
                if isinstance(names, Tjek):
                    data["kolonnenavne"] = names
            if goals:
                data["delmaal"] = goals
            footnotes_under_table += [b for b in body if b.kind == "footnote"]
            rest = [b for b in body if b not in tables and b.kind != "footnote"]
            if rest:
                data["delmaal_note"] = markdown(rest, notes)
                report.append("tekst ved tabellen med delmål og indikatorer er lagt i 'delmaal_note'")
        elif key == "formaal_og_maal":
            tables = [t for t in _tables(body) if t.rows and _norm(t.rows[0][0]).startswith("succeskriteri")]
            data["succeskriterier"] = [r for t in tables for r in criteria_rows(t, notes)]
            footnotes_under_table += [b for b in body if b.kind == "footnote"]
            texts["formaal_og_maal"] = [
                b
                for b in body
                if b not in tables and b.kind != "footnote" and not _norm(b.text).startswith("formål og mål")
            ]
        elif key == "aktivitetsliste":
            activity_list += [b.text for b in body if b.kind in ("para", "item", "heading") and len(b.text) < 120]
            if skabelon == "lbf-2017":
                texts["aktiviteter_indledning"] = [b for b in body if len(b.text) >= 120 or b.kind == "table"]
        elif key == "oekonomi":
            table = next((t for t in _tables(body) if budget_table(t)), None)
            if table is not None:
                data["oekonomi"] = budget_table(table)
            pending += [("ved økonomien", b) for b in body if b is not table]
        elif key == "skemainstruks":
            pending += [("ved aktivitetsskemaerne", b) for b in body]
        elif key == "indledning":
            pending += [("før aftalens første afsnit", b) for b in body if b.kind != "heading" or len(body) > 1]
        else:
            texts.setdefault(key, []).extend(body)
            if pending and key in TEXT_FIELDS[skabelon]:
                texts[key][0:0] = [b for _, b in pending]
                report += [f"'{b.text[:60]}…' ({where}) er lagt i '{key}'" for where, b in pending if b.text]
                pending = []
    if pending:
        last = TEXT_FIELDS[skabelon][-1]
        texts.setdefault(last, []).extend(b for _, b in pending)
        report += [f"'{b.text[:60]}…' ({where}) er lagt i '{last}'" for where, b in pending if b.text]
    if skabelon == "lbf-2017" and not data.get("succeskriterier") and activities:
        report.append("ingen tabel med succeskriterier fundet")
    referenced = _refs_of(data)
    fodnoter = [{"id": b.note_id, "tekst": b.text} for b in footnotes_under_table if b.note_id in referenced]
    if fodnoter:
        data["fodnoter"] = fodnoter
    marks_in_text = {n for blocks_ in texts.values() for b in blocks_ for n in _refs(b.text, notes)[1]}
    orphans = [b for b in footnotes_under_table if b.note_id not in referenced and b.note_id not in marks_in_text]
    if orphans:  # a footnote under a table that nothing refers to: kept as text beside the table
        field_name = "delmaal_note" if skabelon == "lbf-2019" else "formaal_og_maal"
        if field_name == "delmaal_note":
            data["delmaal_note"] = (data.get("delmaal_note", "") + "\n\n" + markdown(orphans)).strip()
        else:
            texts.setdefault(field_name, []).extend(orphans)
        report += [
            f"fodnoten '{b.note_id}' ('{b.text[:40]}…') har ingen henvisning: lagt i '{field_name}'" for b in orphans
        ]
    data["aktiviteter"] = [activity(a, parties, notes, skabelon, report) for a in activities]
    unmatched = _list_texts(data["aktiviteter"], activity_list)
    if unmatched:
        nearest = "aktiviteter_indledning" if skabelon == "lbf-2017" else "medarbejderressourcer"
        texts[nearest] = [Block("item", line) for line in unmatched] + texts.get(nearest, [])
        report += [
            f"'{line[:60]}' i listen over aktiviteter svarer ikke til et aktivitetsskema: lagt i '{nearest}'"
            for line in unmatched
        ]
    for name in TEXT_FIELDS[skabelon]:
        if texts.get(name):
            data[name] = markdown(texts[name], notes)
    data["_kommune"] = municipality(blocks)
    return _finish(data, skabelon, plan_id, parties, report, areas)


def _simple(text: str) -> str:
    return re.sub(r"[^a-zæøå0-9]+", "", text.lower())


def _list_texts(activities: list[dict], listed: list[str]) -> list[str]:
    """The list of activities before the schemas: a line that names an activity differently
    (matched by its words, whatever the order) becomes that activity's ``listetekst``; the lines
    that match no activity are returned."""
    from difflib import SequenceMatcher

    unmatched = []

    def score(line: str, item: dict) -> float:
        a, b = _simple(line), _simple(item["navn"])
        return 1.0 if a and b and (a.startswith(b) or b.startswith(a)) else SequenceMatcher(None, a, b).ratio()

    for line in listed:
        best = max(activities, key=lambda item: score(line, item), default=None)
        if best is None or score(line, best) < 0.6:
            unmatched.append(line)
        elif line.strip() != best["navn"] and "listetekst" not in best:
            keys = list(best)
            best["listetekst"] = line.strip()
            for key in keys[2:]:  # listetekst right after id and navn, as authors write it
                best[key] = best.pop(key)
    return unmatched


def _refs_of(data: dict) -> set[str]:
    refs: set[str] = set()
    for goal in data.get("delmaal", []):
        for ind in goal["indikatorer"]:
            refs.update(ind.get("fodnoter", []))
    for crit in data.get("succeskriterier", []):
        refs.update(crit.get("fodnoter", []))
    return refs


AreaLookup = Callable[[str], "str | None"]


def version_head(plan: str, skabelon: str, area: str, areas: AreaLookup, period, written: str) -> dict:
    """What every imported version starts with: ids, the focus area (its vocabulary id when the
    vocabulary knows the name), draft status and the period as read, each guess marked."""
    known = areas(area)
    return {
        "id": known or suggest_id(area),
        "plan": plan,
        "skabelon": skabelon,
        "indsatsomraade": area if known else Tjek(area, "indsatsområdet står ikke i indsatsomraader.yaml"),
        "status": Tjek("udkast", "importeret: tjek hele aftalen, og slet så denne linje"),
        "gyldig_fra": Tjek(period[0].isoformat(), f"læst af '{written.strip()}'"),
        "gyldig_til": period[1].isoformat(),
    }


def _finish(
    data: dict, skabelon: str, plan_id: str | None, parties: Parties, report: list[str], areas: AreaLookup
) -> Draft:
    plan_name = data.pop("_plannavn", "") or ""
    period, written = data.pop("_periode", (None, ""))
    if period is None:
        raise ImportFejl(
            f"gyldighedsperioden kunne ikke læses ('{written.strip()}') — skriv den fx som "
            "'1. juni 2021 – 31. maj 2025' i dokumentet"
        )
    plan = plan_id or suggest_id(plan_name)
    version = version_head(plan, skabelon, data.pop("indsatsomraade", "") or "", areas, period, written)
    order = [name for section in standard_outline(skabelon) for name in section.fields]  # the template's order
    version.update({k: data[k] for k in order if k not in version and data.get(k) not in (None, [], "")})
    plan_data = {
        "id": plan,
        "navn": plan_name or Tjek(plan, "planens navn blev ikke fundet"),
        "kommune": Tjek(data.pop("_kommune"), "kommunen er gættet: den, dokumentet nævner oftest"),
        "parter": parties.new,
    }
    return Draft(plan_data, [version], report)


def municipality(blocks: list[Block]) -> str:
    """The municipality the document names most often ('Brøndby Kommune')."""
    counts: dict[str, int] = {}
    for block in blocks:
        texts = [block.text] + [cell for row in block.rows for cell in row]
        for text in texts:
            for found in re.findall(r"\b([A-ZÆØÅ][a-zæøå]+s? Kommune)\b", text):
                name = re.sub(r"s Kommune$", " Kommune", found) if not found.startswith("Københavns") else found
                counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else "Ukendt Kommune"
