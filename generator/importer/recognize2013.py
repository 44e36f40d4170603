"""The 2013 generation: one document for a whole master plan, with numbered sections
(1. Resumé, 2. Forord, 3. Baggrund, 4. Vision, 5. Indsatsområder with 5.N per indsatsområde and
5.N.M per activity, 6. milestones, 7. evaluation, 8. organisation, 9. areas of responsibility).

The plan-wide sections go into plan.yaml's ``dokument``; each indsatsområde becomes a version
file of its own. The section numbers decide the structure (they are the same in Word, PDF and
text); a number only counts when it follows the one before ("1. Kvartal:" inside section 6 is
a label, not section 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.importer.dates import parse_period
from generator.importer.document import Block, ImportFejl
from generator.importer.draft import AreaLookup, Draft, municipality, version_head
from generator.importer.parties import Parties, roles
from generator.importer.tables import budget_table
from generator.importer.text import markdown, norm, short_id
from generator.importer.yamlwrite import Tjek
from generator.model.fields import suggest_id
from generator.model.outline import PLAN_DOCUMENT_OUTSIDE, activity_parts, plan_document_outline

_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?\s*([A-ZÆØÅ].*)$")


def _label(heading: str) -> str:
    """A fact-box row label as a pattern: 'Succeskriterier:' also matches 'Succeskriterier (2013)'."""
    label = re.escape(norm(heading.rstrip(":"))).replace(r"\(r\)", "(r|er)?")  # 'Målgruppe(r)': målgruppe, målgrupper
    return rf"^{label}(\s*\(.*\))?:?$"


#: The fact box's rows (label -> field), as the 2013 template labels them (generator/model/outline.py).
FACT_LABELS = [
    (part.key, _label(part.heading))
    for part in activity_parts("helhedsplan-2013")
    if part.heading and part.heading.endswith(":")
]
#: How a 2013 document's numbered top sections are named -> the plan document's outline key.
TOP = [
    ("resume", r"^resum"),
    ("forord", r"^forord|^indledning"),
    ("baggrund", r"^baggrund"),
    ("vision", r"^vision"),
    ("hovedformaal", r"^hovedformål"),
    ("indsatsomraader", r"^indsatsområde"),
    ("milepaelsplan", r"milepæl"),
    ("evaluering", r"^evaluering"),
    ("organisering", r"^organisering"),
    ("ansvarsomraader", r"^ansvarsområde"),
    ("budget", r"^budget|^økonomi"),
]


@dataclass
class Numbered:
    number: tuple[int, ...]
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[Numbered] = field(default_factory=list)


def _numbered(block: Block) -> tuple[tuple[int, ...], str] | None:
    if block.kind not in ("heading", "para") or len(block.text) > 120 or block.text.endswith("."):
        return None
    found = _NUMBER.match(block.text)
    if not found:
        return None
    return tuple(int(n) for n in found.group(1).split(".")), found.group(2).strip()


def section_tree(blocks: list[Block]) -> tuple[list[Block], list[Numbered]]:
    """Blocks before section 1, and the numbered sections with their children."""
    front: list[Block] = []
    tops: list[Numbered] = []
    current: list[Numbered] = []  # the path from the top section to the deepest open one
    for block in blocks:
        hit = _numbered(block)
        if hit and _follows(hit[0], tops, current):
            section = Numbered(hit[0], hit[1])
            depth = len(hit[0])
            if depth == 1:
                tops.append(section)
            else:
                current[depth - 2].children.append(section)
            current = current[: depth - 1] + [section]
            continue
        (current[-1].blocks if current else front).append(block)
    return front, tops


def _follows(number: tuple[int, ...], tops: list[Numbered], current: list[Numbered]) -> bool:
    if len(number) == 1:
        return number[0] == (tops[-1].number[0] + 1 if tops else 1)
    if len(current) < len(number) - 1 or current[len(number) - 2].number != number[:-1]:
        return False
    siblings = current[len(number) - 2].children
    return number[-1] == (siblings[-1].number[-1] + 1 if siblings else 1)


def _flat(section: Numbered) -> list[Block]:
    """A section's text with its subsections' titles as headings."""
    out = list(section.blocks)
    for child in section.children:
        out.append(Block("heading", child.title, level=3))
        out += _flat(child)
    return out


def _split_labels(blocks: list[Block], labels) -> tuple[list[Block], dict[str, list[Block]]]:
    """Text before the first label, and each label's text."""
    before: list[Block] = []
    found: dict[str, list[Block]] = {}
    key = None
    for block in blocks:
        hit = next(
            (
                k
                for k, p in labels
                if block.kind in ("heading", "para") and len(block.text) < 80 and re.match(p, norm(block.text))
            ),
            None,
        )
        if hit:
            key = hit
            found.setdefault(key, [])
            continue
        (found[key] if key else before).append(block)
    return before, found


def fact_box(found: dict[str, list[Block]], notes: dict[str, str]) -> dict:
    box: dict = {}
    for key, _ in FACT_LABELS:
        if key not in found or not found[key]:
            continue
        if key == "succeskriterier":
            box[key] = [{"tekst": b.text} for b in found[key] if b.text]
        else:
            box[key] = markdown(found[key], notes)
    return box


def activity2013(section: Numbered, notes: dict[str, str], listed: str | None) -> dict:
    narrative, found = _split_labels(_flat(section), FACT_LABELS)
    item: dict = {"id": short_id(section.title), "navn": section.title}
    if listed and listed != section.title:
        item["listetekst"] = listed
    item["indhold"] = markdown(narrative, notes) or Tjek("(intet indhold angivet)", "aktiviteten har ingen tekst")
    item.update(fact_box(found, notes))
    return item


AREA_LABELS = [
    ("problemkompleks", r"^problemkompleks:?$"),
    ("formaal", r"^formål:?$"),
    ("aktiviteter_indledning", r"^aktiviteter (der|som)"),
]


def area(
    section: Numbered,
    plan_id: str,
    period,
    written: str,
    areas: AreaLookup,
    order: int,
    notes: dict[str, str],
    report: list[str],
) -> dict:
    before, found = _split_labels(section.blocks, AREA_LABELS)
    listed = [b.text for b in found.get("aktiviteter_indledning", []) if b.kind == "item"]
    intro_rest = [b for b in found.get("aktiviteter_indledning", []) if b.kind != "item"]
    version: dict = {
        **version_head(plan_id, "helhedsplan-2013", section.title, areas, period, written),
        "gyldig_fra": Tjek(period[0].isoformat(), f"helhedsplanens periode, læst af '{written}'"),
        "raekkefoelge": order,
    }
    problem = before + found.get("problemkompleks", [])
    if before:
        report.append(f"tekst før 'Problemkompleks' i '{section.title}' er lagt i 'problemkompleks'")
    version["problemkompleks"] = markdown(problem, notes) or Tjek("(ikke angivet)", "problemkomplekset mangler")
    formaal, box = _split_labels(found.get("formaal", []), FACT_LABELS[1:])
    version["formaal"] = markdown(formaal, notes) or Tjek("(ikke angivet)", "formålet mangler")
    if intro_rest:
        version["aktiviteter_indledning"] = markdown(intro_rest, notes)
    children = section.children
    version["aktiviteter"] = [
        activity2013(child, notes, listed[n] if len(listed) == len(children) else None)
        for n, child in enumerate(children)
    ]
    if box:
        version["faktaboks"] = fact_box(box, notes)
    if not children:
        raise ImportFejl(
            f"indsatsområdet '{section.title}' har ingen aktiviteter (underafsnit som "
            f"{'.'.join(map(str, section.number))}.1) — tjek nummereringen i dokumentet"
        )
    return version


def milestones(blocks: list[Block]) -> list[dict]:
    result: list[dict] = []
    for block in blocks:
        if (
            block.kind in ("heading", "para")
            and re.match(r"^\d+\.\s*kvartal|^\w+ kvartal", norm(block.text))
            and len(block.text) < 40
        ):
            result.append({"periode": block.text.rstrip(":"), "milepaele": []})
        elif result:
            result[-1]["milepaele"].append(
                block.text if block.kind != "table" else " · ".join(" ".join(r) for r in block.rows)
            )
    return [r for r in result if r["milepaele"]]


def organisation(section: Numbered, notes: dict[str, str]) -> dict | None:
    bodies = []
    for child in section.children:
        text = markdown(_flat(child), notes)
        bodies.append(
            {"navn": child.title, **({"tekst": text} if text else {"tekst": Tjek("(ingen tekst)", "tomt afsnit")})}
        )
    if not bodies:
        return None
    result: dict = {"organer": bodies}
    if section.blocks:
        result = {"indledning": markdown(section.blocks, notes), **result}
    return result


@dataclass
class _PlanReading:
    """What :func:`build_helhedsplan` gathers section by section: the plan's ``dokument`` and the
    versions (one per indsatsområde) with what they share (plan id, period as read, lookups)."""

    plan_id: str
    period: tuple
    written: str
    areas: AreaLookup
    notes: dict[str, str]
    report: list[str] = field(default_factory=list)
    dokument: dict = field(default_factory=dict)
    versions: list[dict] = field(default_factory=list)

    def add_to(self, key: str, blocks: list[Block]) -> None:
        """``blocks`` at the end of the text field ``key`` (a section that does not fit its own)."""
        self.dokument[key] = (self.dokument.get(key, "") + "\n\n" + markdown(blocks, self.notes)).strip()


def _read_text(reading: _PlanReading, kind: str, section: Numbered) -> None:
    reading.dokument[kind] = markdown(_flat(section), reading.notes)


def _read_background(reading: _PlanReading, kind: str, section: Numbered) -> None:
    notes = reading.notes
    if section.blocks:
        reading.dokument["baggrund_indledning"] = markdown(section.blocks, notes)
    reading.dokument["baggrund"] = [
        {
            "id": suggest_id(c.title),
            "titel": c.title,
            "tekst": markdown(_flat(c), notes) or Tjek("(tom)", "tomt afsnit"),
        }
        for c in section.children
    ]


def _read_focus_areas(reading: _PlanReading, kind: str, section: Numbered) -> None:
    r = reading
    if section.blocks:
        r.dokument["indsatsomraader_indledning"] = markdown(section.blocks, r.notes)
    r.versions += [
        area(child, r.plan_id, r.period, r.written, r.areas, n + 1, r.notes, r.report)
        for n, child in enumerate(section.children)
    ]


def _read_milestones(reading: _PlanReading, kind: str, section: Numbered) -> None:
    plan = milestones(_flat(section))
    if plan:
        reading.dokument["milepaelsplan"] = plan
    else:
        reading.add_to("evaluering", _flat(section))
        reading.report.append(f"milepælsplanen '{section.title}' kunne ikke læses som perioder: lagt i 'evaluering'")


def _read_organisation(reading: _PlanReading, kind: str, section: Numbered) -> None:
    org = organisation(section, reading.notes)
    if org:
        reading.dokument["organisering"] = org


def _read_main_purposes(reading: _PlanReading, kind: str, section: Numbered) -> None:
    notes = reading.notes
    purposes = [
        {"titel": c.title, "formaal": markdown(_flat(c), notes) or Tjek("(tom)", "tomt afsnit")}
        for c in section.children
    ] or [{"formaal": markdown(_flat(section), notes)}]
    if section.children and section.blocks:
        purposes[0]["formaal"] = markdown(section.blocks + _flat(section.children[0]), notes)
    reading.dokument["hovedformaal"] = purposes


def _read_budget(reading: _PlanReading, kind: str, section: Numbered) -> None:
    flat = _flat(section)
    tables = [table for table in (budget_table(b) for b in flat if b.kind == "table") if table]
    text = markdown([b for b in flat if b.kind != "table"], reading.notes)
    if tables:
        if text:
            tables[0] = {"tekst": text, **tables[0]}
        reading.dokument["budget"] = tables
    else:
        reading.add_to("kolofon", [Block("heading", section.title)] + flat)
        reading.report.append(f"budgettet '{section.title}' havde ingen tabel med beløb: lagt i 'kolofon'")


def _read_responsibilities(reading: _PlanReading, kind: str, section: Numbered) -> None:
    found = roles(_flat(section), Parties([], can_add=False), reading.notes)
    reading.dokument["ansvarsomraader"] = {k.replace("roller_indledning", "indledning"): v for k, v in found.items()}


def _read_other(reading: _PlanReading, kind: str | None, section: Numbered) -> None:
    reading.add_to("kolofon", [Block("heading", section.title)] + _flat(section))
    reading.report.append(f"afsnittet '{section.title}' passer ikke i skabelonen: lagt i 'kolofon'")


#: A numbered top section's kind (TOP) -> what reads it; a section of no kind goes to the colophon.
_SECTION_READERS = {
    "resume": _read_text,
    "forord": _read_text,
    "vision": _read_text,
    "evaluering": _read_text,
    "baggrund": _read_background,
    "indsatsomraader": _read_focus_areas,
    "milepaelsplan": _read_milestones,
    "organisering": _read_organisation,
    "hovedformaal": _read_main_purposes,
    "budget": _read_budget,
    "ansvarsomraader": _read_responsibilities,
}


def _front_page(front: list[Block]) -> tuple[list[str], str, str | None, str]:
    """The front page's lines (no table of contents), the plan's name, the subtitle that gives
    the period (None: none does) and the text the period is read from."""
    titles = [
        b.text for b in front if b.kind in ("heading", "para") and not norm(b.text).startswith("indholdsfortegnelse")
    ]
    name = re.sub(r"^(den )?boligsociale helhedsplan(en)?\s+", "", titles[0], flags=re.I) if titles else ""
    subtitle = next((t for t in titles[1:] if parse_period(t)), None)
    return titles, name, subtitle, subtitle or " ".join(titles)


def build_helhedsplan(blocks: list[Block], plan_id: str | None, areas: AreaLookup) -> Draft:
    """The draft of a 2013 master plan: plan.yaml with its ``dokument``, a version per indsatsområde."""
    front, tops = section_tree(blocks)
    titles, name, subtitle, written = _front_page(front)
    period = parse_period(written)
    if period is None:
        raise ImportFejl("helhedsplanens periode blev ikke fundet på forsiden (fx '2013–2016')")
    notes = {b.note_id: b.text for b in blocks if b.kind == "footnote"}
    reading = _PlanReading(plan_id or suggest_id(name), period, written, areas, notes)
    for section in tops:
        kind = next((k for k, p in TOP if re.search(p, norm(section.title))), None)
        _SECTION_READERS.get(kind, _read_other)(reading, kind, section)
    dokument = reading.dokument
    for key in ("resume", "forord", "vision"):
        if not dokument.get(key):
            dokument[key] = Tjek("(mangler)", f"afsnittet '{key}' blev ikke fundet")
    if not reading.versions:
        raise ImportFejl("ingen indsatsområder fundet (et nummereret afsnit 'Indsatsområder' med underafsnit)")
    leftover = [
        b
        for b in front
        if b.text not in titles[:1] and b.text != subtitle and not norm(b.text).startswith("indholdsfortegnelse")
    ]
    if leftover:
        reading.add_to("kolofon", leftover)
        reading.report += [f"'{b.text[:60]}' (forsiden) er lagt i 'kolofon'" for b in leftover]
    order = [name for section in plan_document_outline() for name in section.fields] + list(PLAN_DOCUMENT_OUTSIDE)
    plan = {"id": reading.plan_id, "navn": name or Tjek(reading.plan_id, "planens navn blev ikke fundet")}
    if subtitle:
        plan["undertitel"] = subtitle
    plan["kommune"] = Tjek(municipality(blocks), "kommunen er gættet: den, dokumentet nævner oftest")
    plan["periode"] = {"fra": period[0].isoformat(), "til": period[1].isoformat()}
    plan["dokument"] = {k: dokument[k] for k in order if dokument.get(k)}
    return Draft(plan, reading.versions, reading.report)
