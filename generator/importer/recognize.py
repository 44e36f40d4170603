"""Recognise an LBF agreement (lbf-2019, lbf-2017) in the neutral document and build the draft's data.

The document is cut at the labels LBF's templates use ("Delaftalens parter:", "Aktivitetsnavn:",
…) into sections; each section has a small function that turns its blocks into the field(s) of
the model. The sections, their headings and the free-text fields come from the outline of each
generation (generator/model/outline.py). Standard texts (the template supplies them) and form
instructions are dropped; text that no section claims is kept in the nearest free-text field
and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from generator.importer.dates import parse_period
from generator.importer.document import Block, ImportFejl
from generator.importer.draft import AreaLookup, Draft, municipality, version_head
from generator.importer.parties import Parties, party_groups, roles
from generator.importer.tables import budget_table, criteria_rows, indicator_rows
from generator.importer.text import footnote_refs, markdown, norm, one_line, short_id, tables_in
from generator.importer.yamlwrite import Tjek
from generator.model.delaftale import GENERATIONS
from generator.model.fields import Tekst, suggest_id
from generator.model.outline import standard_outline

#: The delaftale templates this module reads (a 2013 master plan: recognize2013.py).
LBF_GENERATIONS = ("lbf-2019", "lbf-2017")

#: Section of the outlines -> how many leading words of its heading a document's label keeps
#: (documents shorten the rest: "Medarbejderressourcer:" for "Medarbejderressourcer for
#: indsatsområdet"). A label that starts with them starts the section of that key.
_LABEL_WORDS = {
    "indsats": 5,
    "delmaal": 3,
    "problemkompleks": 1,
    "formaal": 4,
    "aktiviteter": 4,
    "aktivitetsbeskrivelser": 4,
    "medarbejderressourcer": 1,
    "oekonomi": 2,
    "konflikthaandtering": 1,
    "revision": 3,
}
#: Labels that the outlines' headings do not give, as the documents of both generations write them.
_TITLE = ("titel", r"^delaftale for indsatsområdet\s+(.+)$")  # the page's title, not a section
_OWN_LABELS = [
    ("periode", r"^(del)?aftalen gælder fra"),  # 2017's documents: "Aftalen gælder fra"
    ("parter", r"^(delaftalens|aftalens) parter\s*:?\s*$"),  # the label alone, not a sentence about them
    # the form's instruction above the activity schemas (before the list of activities it starts like)
    ("skemainstruks", r"^aktiviteter, som skal bidrage.*tilføj skemaer"),
]
#: The outline's one section on coherence is two labels in the documents, one per field.
_FIELD_LABELS = [
    ("sammenhaeng_kommunal", r"^sammenhæng med (den )?kommunal"),
    ("sammenhaeng_fysisk", r"^sammenhæng med den fysiske"),
]
_ACTIVITY = ("aktivitet", r"^aktivitetsnavn")  # an activity schema (its parts: ACTIVITY_ANCHORS)


def _heading_label(heading: str, words: int) -> str:
    """'Problemkompleks for indsatsområdet', 1 -> '^problemkompleks'."""
    return "^" + re.escape(" ".join(norm(heading).split()[:words]).rstrip(",:"))


def _outline_anchors() -> list[tuple[str, str]]:
    """(section key, label pattern) of the sections of the LBF outlines that _LABEL_WORDS names,
    whose heading has those words (2019's bare "Aktiviteter" over the list on the page has not:
    its documents head the list as the schemas' section)."""
    anchors: list[tuple[str, str]] = []
    for skabelon in LBF_GENERATIONS:
        for section in standard_outline(skabelon):
            words = _LABEL_WORDS.get(section.key, 0)
            if words and section.heading and len(section.heading.split()) >= words:
                pattern = _heading_label(section.heading, words)
                if all(pattern != known for _, known in anchors):  # one heading, two keys: the first
                    anchors.append((section.key, pattern))
    return anchors


#: (section key, pattern) — a heading or short paragraph matching the pattern starts the section
#: (the first pattern that matches).
TOP_ANCHORS = [_TITLE, *_OWN_LABELS, *_outline_anchors(), *_FIELD_LABELS, _ACTIVITY]
ACTIVITY_ANCHORS = [
    ("cfbu", r"^cfbu:"),
    ("indhold", r"^indhold og praksis"),
    ("formaal", r"^formål( og mål)?:?$"),
    ("maalgrupper", r"^målgruppe(\(r\)|r)?\s*(:|$)"),
    ("succeskriterier", r"^succeskriterier og datakilde"),
    ("roller", r"^ansvars- og rollefordeling"),
]
FORM_INSTRUCTIONS = [r"tilføj skemaer", r"^her anføres", r"^\(her anføres"]

#: The note the delmål section fills with the text beside its table: not a place for other text.
_TABLE_NOTES = {"delmaal_note"}


def _text_fields(skabelon: str) -> list[str]:
    """The outline's Markdown fields (generator/model/outline.py), in document order."""
    model = GENERATIONS[skabelon]
    return [
        name
        for section in standard_outline(skabelon)
        for name in section.fields
        if name not in _TABLE_NOTES and model.model_fields[name].annotation in (str, Tekst | None)
    ]


#: Free-text fields of each generation, in document order: unplaced text goes to the nearest one.
TEXT_FIELDS = {skabelon: _text_fields(skabelon) for skabelon in LBF_GENERATIONS}


@dataclass
class Section:
    key: str
    label: Block | None
    blocks: list[Block]


def _match(block: Block, anchors) -> tuple[str, re.Match] | None:
    if block.kind not in ("heading", "para") or len(block.text) > 300:
        return None
    if block.kind == "para" and block.text.rstrip().endswith("."):
        return None  # a sentence, not a label
    for key, pattern in anchors:
        found = re.match(pattern, norm(block.text))
        if found:
            return key, found
    return None


def split_sections(blocks: list[Block]) -> list[Section]:
    sections = [Section("indledning", None, [])]
    in_activity = False
    for block in blocks:
        hit = _match(block, TOP_ANCHORS)
        sub = _match(block, ACTIVITY_ANCHORS) if in_activity else None
        if sub and not (hit and hit[0] == "formaal"):  # "Formål og mål" inside an activity
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
    if any(re.search(p, norm(block.text)) for p in FORM_INSTRUCTIONS):
        return True
    grams = _grams(block.text)
    return bool(grams) and len(grams & standard) >= 0.8 * len(grams)


# --------------------------------------------------------------------------- activities


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
    criteria = [row for t in tables_in(success_blocks) for row in criteria_rows(t, notes)]
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


@dataclass
class _Reading:
    """What :func:`build_delaftale` gathers section by section: the version's data, the blocks of
    each text field, the text no section has claimed yet (``pending``, with where it stood)."""

    skabelon: str
    notes: dict[str, str]
    standard: set
    report: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    texts: dict[str, list[Block]] = field(default_factory=dict)
    pending: list[tuple[str, Block]] = field(default_factory=list)
    activities: list[list[Section]] = field(default_factory=list)
    activity_list: list[str] = field(default_factory=list)
    footnotes_under_table: list[Block] = field(default_factory=list)

    def free(self, blocks: list[Block]) -> list[Block]:
        return [b for b in blocks if not is_standard_text(b, self.standard)]

    def take(self, section: Section) -> None:
        key = section.key
        if key.startswith("a:") and self.activities:
            self.activities[-1].append(section)
        elif key == "aktivitet":
            self.activities.append([section])
        else:
            _SECTION_READERS.get(key, _read_text_field)(self, section, self.free(section.blocks))

    def place_pending(self, key: str) -> None:
        """The text no section claimed, before ``key``'s own."""
        self.texts[key][0:0] = [b for _, b in self.pending]
        self.report += [f"'{b.text[:60]}…' ({where}) er lagt i '{key}'" for where, b in self.pending if b.text]
        self.pending = []


def _inline(label: Block) -> str:
    """What follows the label's colon on its own line ('Delaftalen gælder fra - til: 1. juni 2021 …')."""
    return label.text.split(":", 1)[1] if ":" in label.text[:-1] else ""


def _read_title(reading: _Reading, section: Section, body: list[Block]) -> None:
    reading.data["indsatsomraade"] = re.sub(
        r"^delaftale for indsatsområdet\s+", "", section.label.text, flags=re.I
    ).strip(" *_")
    reading.pending += [("før parterne", b) for b in body]


def _read_plan_name(reading: _Reading, section: Section, body: list[Block]) -> None:
    inline = _inline(section.label).strip()
    reading.data["_plannavn"] = inline or (body[0].text if body else "")
    reading.pending += [("efter planens navn", b) for b in body[0 if inline else 1 :]]


def _read_period(reading: _Reading, section: Section, body: list[Block]) -> None:
    inline = _inline(section.label)
    line = inline or (body[0].text if body else "")
    reading.data["_periode"] = (parse_period(line), line)
    reading.pending += [("efter perioden", b) for b in body[0 if inline else 1 :]]


def _read_parties(reading: _Reading, section: Section, body: list[Block]) -> None:
    reading.data["parter"] = party_groups(body)


def _read_goals(reading: _Reading, section: Section, body: list[Block]) -> None:
    data, notes = reading.data, reading.notes
    tables = [t for t in tables_in(body) if t.rows and max(len(r) for r in t.rows) >= 4]
    column_notes: list[str] = []
    # one table, even where a page break cut it in two
    goals = indicator_rows(Block("table", rows=[r for t in tables for r in t.rows]), notes, column_notes)
    body = body + [Block("para", line) for line in column_notes if isinstance(line, str)]
    for names in column_notes:
        if isinstance(names, Tjek):
            data["kolonnenavne"] = names
    if goals:
        data["delmaal"] = goals
    reading.footnotes_under_table += [b for b in body if b.kind == "footnote"]
    rest = [b for b in body if b not in tables and b.kind != "footnote"]
    if rest:
        data["delmaal_note"] = markdown(rest, notes)
        reading.report.append("tekst ved tabellen med delmål og indikatorer er lagt i 'delmaal_note'")


def _read_purpose(reading: _Reading, section: Section, body: list[Block]) -> None:
    tables = [t for t in tables_in(body) if t.rows and norm(t.rows[0][0]).startswith("succeskriteri")]
    reading.data["succeskriterier"] = [r for t in tables for r in criteria_rows(t, reading.notes)]
    reading.footnotes_under_table += [b for b in body if b.kind == "footnote"]
    reading.texts["formaal_og_maal"] = [
        b for b in body if b not in tables and b.kind != "footnote" and not norm(b.text).startswith("formål og mål")
    ]


def _read_activity_list(reading: _Reading, section: Section, body: list[Block]) -> None:
    reading.activity_list += [b.text for b in body if b.kind in ("para", "item", "heading") and len(b.text) < 120]
    if reading.skabelon == "lbf-2017":
        reading.texts["aktiviteter_indledning"] = [b for b in body if len(b.text) >= 120 or b.kind == "table"]


def _read_budget(reading: _Reading, section: Section, body: list[Block]) -> None:
    table = next((t for t in tables_in(body) if budget_table(t)), None)
    if table is not None:
        reading.data["oekonomi"] = budget_table(table)
    reading.pending += [("ved økonomien", b) for b in body if b is not table]


def _read_form_instruction(reading: _Reading, section: Section, body: list[Block]) -> None:
    reading.pending += [("ved aktivitetsskemaerne", b) for b in body]


def _read_opening(reading: _Reading, section: Section, body: list[Block]) -> None:
    reading.pending += [("før aftalens første afsnit", b) for b in body if b.kind != "heading" or len(body) > 1]


def _read_text_field(reading: _Reading, section: Section, body: list[Block]) -> None:
    """A free-text field's section (its key is the field): the text no section claimed goes first."""
    reading.texts.setdefault(section.key, []).extend(body)
    if reading.pending and section.key in TEXT_FIELDS[reading.skabelon]:
        reading.place_pending(section.key)


#: Section key -> what reads it; any other key is a free-text field of its own name.
_SECTION_READERS = {
    "titel": _read_title,
    "indsats": _read_plan_name,
    "periode": _read_period,
    "parter": _read_parties,
    "delmaal": _read_goals,
    "formaal": _read_purpose,
    "aktiviteter": _read_activity_list,
    "aktivitetsbeskrivelser": _read_activity_list,
    "oekonomi": _read_budget,
    "skemainstruks": _read_form_instruction,
    "indledning": _read_opening,
}


def _place_footnotes(reading: _Reading) -> None:
    """The footnotes under a table: those it refers to become ``fodnoter``; one that nothing refers
    to is kept as text beside the table."""
    data, texts, notes, skabelon = reading.data, reading.texts, reading.notes, reading.skabelon
    referenced = _refs_of(data)
    under_table = reading.footnotes_under_table
    fodnoter = [{"id": b.note_id, "tekst": b.text} for b in under_table if b.note_id in referenced]
    if fodnoter:
        data["fodnoter"] = fodnoter
    marks_in_text = {n for blocks_ in texts.values() for b in blocks_ for n in footnote_refs(b.text, notes)[1]}
    orphans = [b for b in under_table if b.note_id not in referenced and b.note_id not in marks_in_text]
    if not orphans:
        return
    field_name = "delmaal_note" if skabelon == "lbf-2019" else "formaal_og_maal"
    if field_name == "delmaal_note":
        data["delmaal_note"] = (data.get("delmaal_note", "") + "\n\n" + markdown(orphans)).strip()
    else:
        texts.setdefault(field_name, []).extend(orphans)
    reading.report += [
        f"fodnoten '{b.note_id}' ('{b.text[:40]}…') har ingen henvisning: lagt i '{field_name}'" for b in orphans
    ]


def _place_unlisted(reading: _Reading) -> None:
    """The lines of the list of activities that name no activity schema: kept as a list in the
    nearest text field."""
    unmatched = _list_texts(reading.data["aktiviteter"], reading.activity_list)
    if not unmatched:
        return
    nearest = "aktiviteter_indledning" if reading.skabelon == "lbf-2017" else "medarbejderressourcer"
    reading.texts[nearest] = [Block("item", line) for line in unmatched] + reading.texts.get(nearest, [])
    reading.report += [
        f"'{line[:60]}' i listen over aktiviteter svarer ikke til et aktivitetsskema: lagt i '{nearest}'"
        for line in unmatched
    ]


def build_delaftale(
    blocks: list[Block],
    skabelon: str,
    plan_id: str | None,
    existing_parties: list[dict] | None,
    templates: Path,
    areas: AreaLookup,
) -> Draft:
    """The draft of one delaftale; ``existing_parties`` are those of a plan that exists (None: a new plan)."""
    if skabelon not in TEXT_FIELDS:
        raise ImportFejl(
            f"import af skabelonen '{skabelon}' er ikke understøttet endnu — understøttet: {', '.join(TEXT_FIELDS)}"
        )
    notes = {b.note_id: b.text for b in blocks if b.kind == "footnote"}
    reading = _Reading(skabelon, notes, template_grams(templates, skabelon))
    parties = Parties(existing_parties or [], can_add=existing_parties is None)
    for section in split_sections(blocks):
        reading.take(section)
    if reading.pending:  # after the last text field: kept at its end
        last = TEXT_FIELDS[skabelon][-1]
        reading.texts.setdefault(last, []).extend(b for _, b in reading.pending)
        reading.report += [f"'{b.text[:60]}…' ({where}) er lagt i '{last}'" for where, b in reading.pending if b.text]
    data, report = reading.data, reading.report
    if skabelon == "lbf-2017" and not data.get("succeskriterier") and reading.activities:
        report.append("ingen tabel med succeskriterier fundet")
    _place_footnotes(reading)
    data["aktiviteter"] = [activity(a, parties, notes, skabelon, report) for a in reading.activities]
    _place_unlisted(reading)
    for name in TEXT_FIELDS[skabelon]:
        if reading.texts.get(name):
            data[name] = markdown(reading.texts[name], notes)
    data["_kommune"] = municipality(blocks)
    return _finish(data, skabelon, plan_id, parties, report, areas)


def _simple(text: str) -> str:
    return re.sub(r"[^a-zæøå0-9]+", "", text.lower())


def _list_texts(activities: list[dict], listed: list[str]) -> list[str]:
    """The list of activities before the schemas: a line that names an activity differently
    (matched by its words, whatever the order) becomes that activity's ``listetekst``; the lines
    that match no activity are returned."""
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
