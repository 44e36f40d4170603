"""The checks across fields and files: small named passes over the validated models.

Each file is first read and validated on its own (:mod:`generator.source.loading`); what one model
cannot know by itself (ids unique in a list, footnotes that exist, names that agree with the
file's place, periods that do not overlap, references to other agreements, a published version
left as it was) is checked here. Every pass takes the :class:`Sources` and returns problems;
all passes run, so an author sees every problem in one run. A pass only looks at files that
validated: a file with errors is reported once, by itself, and what refers to it says so
instead of calling it missing.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel

from generator.base import textscan
from generator.base.problems import Problem
from generator.model import fingerprints, outline
from generator.model.delaftale import DelaftaleBase, Dokumentstatus
from generator.model.fields import MAX_NUMBER, PERSONOPLYSNING, danish_number, field_kind, suggest_id
from generator.model.fingerprints import RecordedVersion
from generator.model.indicators import Fodnote, Indikator, Maalinger, baseline_number
from generator.model.messages import format_loc, unknown
from generator.model.parties import PartReference, Rolle
from generator.model.plan import Ordliste, Plan, PlanDokument
from generator.model.schema import model_classes
from generator.model.tables import UKENDT, Summetabel
from generator.model.walk import nested_fields, texts, walk
from generator.source import crossrefs, figures
from generator.source.yamlfile import SourceDocument

PLAN_FILE = "plan.yaml"
MEASUREMENTS_FILE = "maalinger.yaml"  # beside a delaftale's versions: agreements/<plan>/<delaftale>/maalinger.yaml
VOCABULARY_FILE = "indsatsomraader.yaml"  # at the top of the agreements folder
SUFFIX = ".yaml"  # the one spelling: file names are addresses (check_names), and one spelling finds every file
WRONG_SUFFIX = "forkert_endelse"  # the kind of a .yml or .YAML file: refused by name, not read (loading.read_file)
_DATE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LAYOUT = (
    "planer ligger i agreements/<plan>/plan.yaml, versioner i "
    "agreements/<plan>/<delaftale>/<gyldig_fra>.yaml og målinger i agreements/<plan>/<delaftale>/maalinger.yaml"
)


def file_kind(path: Path, folder: Path) -> str:
    """What a file is by its place: 'ordliste', 'plan', 'maalinger', 'version' or 'fejlplaceret'
    (or WRONG_SUFFIX: spelled .yml or .YAML)."""
    if path.suffix != SUFFIX:
        return WRONG_SUFFIX
    parts = path.relative_to(folder).parts
    if parts == (VOCABULARY_FILE,):
        return "ordliste"
    if len(parts) == 2 and parts[1] == PLAN_FILE:
        return "plan"
    if len(parts) == 3 and parts[2] == MEASUREMENTS_FILE:
        return "maalinger"
    return "version" if len(parts) == 3 else "fejlplaceret"


@dataclass
class SourceFile:
    """One file: where it is, what it holds (``model`` only when it validated without problems)."""

    path: Path
    shown: str
    parts: tuple[str, ...]  # the path inside the agreements folder
    kind: str
    doc: SourceDocument | None = None
    model: BaseModel | None = None
    problems: list[Problem] = field(default_factory=list)
    stat: tuple[int, int] | None = None  # (mtime, size) as seen before reading
    #: What each file-local pass (:func:`per_file`, :func:`per_version`) found in this file, with
    #: the state of the plan file it was found against: a file the loader's cache hands back
    #: unchanged (the next rebuild of `mkdocs serve`) is not walked again.
    findings: dict[str, tuple[object, list[Problem]]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def indicators(self) -> list[tuple[tuple, Indikator]]:
        """The indicators of a valid version with their locations, walked once per file content
        (several passes need them; an unchanged file comes back from the loader's cache)."""
        return list(indicators(self.model)) if isinstance(self.model, DelaftaleBase) else []

    def at(self, loc: tuple, message: str, *, line: int | None = None, field: str | None = None) -> Problem:
        if line is None and self.doc is not None:
            line = self.doc.line_of(loc)
        return Problem(self.shown, line, format_loc(loc) if field is None else field, message)


@dataclass
class Sources:
    """Everything read from the agreements folder, before it is assembled into a corpus."""

    folder: Path
    files: list[SourceFile]
    published: Mapping[str, RecordedVersion]  # the versions the manifest last published records, by URL

    @cached_property
    def plan_files(self) -> dict[str, SourceFile]:
        """Plan folder name -> its plan.yaml, valid or not."""
        return {f.parts[0]: f for f in self.files if f.kind == "plan"}

    @cached_property
    def plans(self) -> dict[str, SourceFile]:
        """Plan id -> its valid plan file."""
        return {f.model.id: f for f in self.plan_files.values() if isinstance(f.model, Plan)}

    @cached_property
    def versions(self) -> list[SourceFile]:
        """Valid version files in their right place."""
        return [f for f in self.files if f.kind == "version" and isinstance(f.model, DelaftaleBase)]

    @cached_property
    def measurements(self) -> list[SourceFile]:
        """Valid measurement files (maalinger.yaml beside a delaftale's versions)."""
        return [f for f in self.files if f.kind == "maalinger" and isinstance(f.model, Maalinger)]

    @cached_property
    def vocabulary_file(self) -> SourceFile | None:
        return next((f for f in self.files if f.kind == "ordliste"), None)

    @property
    def vocabulary(self) -> Ordliste | None:
        item = self.vocabulary_file
        return item.model if item is not None and isinstance(item.model, Ordliste) else None

    @cached_property
    def broken(self) -> set[tuple[str, str]]:
        """(plan folder, delaftale folder) of every delaftale with a version that has errors."""
        return {f.parts[:2] for f in self.files if f.kind == "version" and f.model is None}  # type: ignore[misc]


Pass = Callable[[Sources], list[Problem]]


def per_file(check: Pass) -> Pass:
    """``check`` run on each valid file alone, its findings kept with the file. Only for passes
    whose problems in a file depend on nothing but that file (no other file, no published
    record): at 1,000 agreements, walking every model again was half of a preview's rebuild."""
    return _kept_with_file(check, lambda sources, item: (None, [item]))


def per_version(check: Pass) -> Pass:
    """:func:`per_file` for a pass over versions that looks up their plan (``sources.plans``):
    each version is checked with its plan file, and again only when that file changes."""

    def scope(sources: Sources, item: SourceFile) -> tuple[object, list[SourceFile]]:
        plan = sources.plans.get(item.model.plan) if item.kind == "version" else None  # type: ignore[union-attr]
        return (None, [item]) if plan is None else ((plan.path, plan.stat), [plan, item])

    return _kept_with_file(check, scope)


def _kept_with_file(check: Pass, scope: Callable[[Sources, SourceFile], tuple[object, list[SourceFile]]]) -> Pass:
    """``check`` on each valid file within ``scope`` (the state its findings hold for, and the
    files it sees), kept with the file while that state stays the same."""

    @functools.wraps(check)
    def run(sources: Sources) -> list[Problem]:
        found: list[Problem] = []
        for item in _valid(sources):
            state, files = scope(sources, item)
            kept = item.findings.get(check.__name__)
            if kept is None or kept[0] != state:
                kept = item.findings[check.__name__] = (state, check(Sources(sources.folder, files, {})))
            found += kept[1]
        return found

    return run


def _valid(sources: Sources) -> Iterator[SourceFile]:
    return (f for f in sources.files if f.model is not None)


# --------------------------------------------------------------------------- the passes


def check_placement(sources: Sources) -> list[Problem]:
    """Only the vocabulary, plan.yaml files and versions may lie in the agreements folder."""
    problems = []
    for item in sources.files:
        if item.kind != "fejlplaceret":
            continue
        model = item.model
        hint = (
            f"flyt den til agreements/{model.plan}/{model.id}/{model.gyldig_fra.isoformat()}.yaml"
            if isinstance(model, DelaftaleBase)
            else "flyt eller slet den"
        )
        problems.append(
            item.at((), f"filen ligger et sted, hvor der ikke må ligge aftaler ({LAYOUT}) — {hint}", line=1)
        )
    return problems


def check_names(sources: Sources) -> list[Problem]:
    """A plan's folder is its id; a version's folder is its delaftale's id and its file name its
    gyldig_fra: then a file's address can be read from where it lies, and a stray copy
    ('kladde.yaml') cannot be published by accident."""
    problems = []
    for item in sources.plan_files.values():
        if isinstance(item.model, Plan) and item.model.id != item.parts[0]:
            problems.append(
                item.at(
                    ("id",),
                    f"planen har id '{item.model.id}', men ligger i mappen '{item.parts[0]}' — "
                    f"omdøb mappen til '{item.model.id}', eller ret id til '{item.parts[0]}'",
                )
            )
    for item in sources.versions:
        model: DelaftaleBase = item.model  # type: ignore[assignment]
        plan_folder, folder, name = item.parts
        start = model.gyldig_fra.isoformat()
        if name != f"{start}.yaml":
            stem = name.rsplit(".", 1)[0]
            why = (
                f"filen hedder '{name}', men versionen gælder fra {start}"
                if _DATE_NAME.match(stem)
                else "en version skal hedde sin gyldig_fra"
            )
            problems.append(
                item.at(
                    ("gyldig_fra",),
                    f"{why} — omdøb filen til {start}.yaml, eller ret gyldig_fra "
                    "(en version, der ikke er godkendt endnu, kan have 'status: udkast')",
                )
            )
        if model.id != folder:
            problems.append(
                item.at(
                    ("id",),
                    f"delaftalen har id '{model.id}', men ligger i mappen '{folder}' — ret id "
                    f"til '{folder}', eller flyt filen til agreements/{plan_folder}/{model.id}/ "
                    "(et nyt id giver nye adresser: skriv det gamle under 'tidligere_id')",
                )
            )
        if model.plan != plan_folder:
            if model.plan in sources.plan_files:
                message = (
                    f"filen ligger i mappen for planen '{plan_folder}', men siger plan: {model.plan} — "
                    f"ret feltet til '{plan_folder}', eller flyt filen til agreements/{model.plan}/{folder}/"
                )
            else:
                message = "planen " + unknown("planer", model.plan, sorted(sources.plan_files))
            problems.append(item.at(("plan",), message))
        elif plan_folder not in sources.plan_files:
            problems.append(
                item.at(("plan",), f"der er ingen plan.yaml i agreements/{plan_folder}/ — opret planen der")
            )
    return problems


@per_file
def check_unique_ids(sources: Sources) -> list[Problem]:
    """In every list of things with ids (parties, activities, footnotes, …) each id is used once."""
    problems = []
    for item in _valid(sources):
        for loc, model in walk(item.model):  # type: ignore[arg-type]
            for name in nested_fields(type(model)):
                value = getattr(model, name)
                if not isinstance(value, list):
                    continue
                seen: dict[str, int] = {}
                for i, element in enumerate(value):
                    ident = getattr(element, "id", None)
                    if not isinstance(ident, str):
                        continue
                    if ident in seen:
                        what = getattr(type(element), "bestemt", "den")
                        problems.append(
                            item.at(
                                (*loc, name, i, "id"),
                                f"id '{ident}' er allerede brugt af {name}[{seen[ident]}] — giv {what} sit eget id",
                            )
                        )
                    seen.setdefault(ident, i)
    return problems


@per_file
def check_footnotes(sources: Sources) -> list[Problem]:
    """A footnote mark in a table names a footnote of the same agreement."""
    problems = []
    for item in sources.versions:
        notes = [n.id for n in getattr(item.model, "fodnoter", []) if isinstance(n, Fodnote)]
        for loc, model in walk(item.model):  # type: ignore[arg-type]
            refs = getattr(model, "fodnoter", [])
            for n, ref in enumerate(refs):
                if isinstance(ref, str) and ref not in notes:
                    problems.append(
                        item.at(
                            (*loc, "fodnoter", n),
                            "fodnoten " + unknown("fodnoter", ref, notes) + " — tilføj den under 'fodnoter:'",
                        )
                    )
    return problems


@per_file
def check_one_role_per_party(sources: Sources) -> list[Problem]:
    """Within one list of roles, a party has one role: its duties are gathered there."""
    problems = []
    for item in _valid(sources):
        for loc, model in walk(item.model):  # type: ignore[arg-type]
            roles = getattr(model, "roller", None)
            if not isinstance(roles, list):
                continue
            holders: dict[str, int] = {}
            for r, role in enumerate(roles):
                if not isinstance(role, Rolle):
                    continue
                holder = role.part or suggest_id(role.navn or "")
                if holder in holders:
                    problems.append(
                        item.at(
                            (*loc, "roller", r),
                            f"parten har allerede en rolle her "
                            f"(roller[{holders[holder]}]) — saml opgaverne under én rolle",
                        )
                    )
                else:
                    holders[holder] = r
    return problems


def check_outlines(sources: Sources) -> list[Problem]:
    """A document's own outline (``disposition``) names each of its generation's sections at most
    once, by a key that exists, and leaves out none that holds text (generator/model/outline.py)."""
    problems = []
    for item in _valid(sources):
        model = item.model
        if isinstance(model, Plan):
            model, prefix = model.dokument, ("dokument",)
        else:
            prefix = ()
        if model is None or not isinstance(model, (DelaftaleBase, PlanDokument)):
            continue
        problems += [item.at((*prefix, *loc), message) for loc, message in outline.problems(model)]
    return problems


def check_focus_areas(sources: Sources) -> list[Problem]:
    """Every agreement's focus area is one of the vocabulary's, so overviews gather them."""
    vocabulary, shown = sources.vocabulary, sources.vocabulary_file
    if vocabulary is None or shown is None:
        return []
    area_of = area_lookup(vocabulary)
    return [
        item.at(
            ("indsatsomraade",),
            f"indsatsområdet '{item.model.indsatsomraade}' står ikke i {shown.shown} — "  # type: ignore[union-attr]
            "brug et af navnene der, eller tilføj det (som nyt indsatsområde eller som variant af et)",
        )
        for item in sources.versions
        if area_of(item.model.indsatsomraade) is None
    ]  # type: ignore[union-attr]


def versions_by_agreement(sources: Sources) -> dict[tuple[str, str], list[SourceFile]]:
    """(plan folder, delaftale folder) -> its valid versions, oldest first."""
    grouped: dict[tuple[str, str], list[SourceFile]] = defaultdict(list)
    for item in sources.versions:
        grouped[item.parts[:2]].append(item)  # type: ignore[index]
    for items in grouped.values():
        items.sort(key=lambda it: it.model.gyldig_fra)  # type: ignore[union-attr]
    return grouped


def check_periods(sources: Sources) -> list[Problem]:
    """The versions of one delaftale follow each other: no two start the same day, none overlaps."""
    problems = []
    for items in versions_by_agreement(sources).values():
        for earlier, later in zip(items, items[1:]):
            a, b = earlier.model, later.model
            if a.gyldig_fra == b.gyldig_fra:  # type: ignore[union-attr]
                problems.append(
                    later.at(
                        ("gyldig_fra",),
                        f"en anden version af samme delaftale ({earlier.shown}) har "
                        "samme gyldig_fra — hver version skal have sin egen startdato",
                    )
                )
            elif b.gyldig_fra <= a.gyldig_til:  # type: ignore[union-attr]
                problems.append(
                    later.at(
                        ("gyldig_fra",),
                        f"perioden overlapper den forrige version ({earlier.shown}), "
                        f"der gælder til {a.gyldig_til.isoformat()} — sæt gyldig_til i den "  # type: ignore[union-attr]
                        f"forrige version til dagen før {b.gyldig_fra.isoformat()}",
                    )
                )  # type: ignore[union-attr]
    return problems


def check_cross_references(sources: Sources) -> list[Problem]:
    """Every `[…](aftale:…)` reference names a delaftale (and an activity in it) or a focus area
    of the vocabulary that the plan has not published. A target whose own file has errors is
    said to have them, not to be missing."""
    grouped = versions_by_agreement(sources)
    areas = {a.id for a in sources.vocabulary.indsatsomraader} if sources.vocabulary else set()
    plans = sorted(sources.plan_files)
    problems = []
    for item in _valid(sources):
        model = item.model
        own_plan = model.id if isinstance(model, Plan) else getattr(model, "plan", None)
        if own_plan is None or item.doc is None or not item.doc.may_reference_agreements:
            continue
        for loc, text in texts(model):  # type: ignore[arg-type]
            for match in crossrefs.MARKDOWN_REF.finditer(text):
                raw, anchor = match[2], match[3]
                shown = f"aftale:{raw}" + (f"#{anchor}" if anchor else "")
                line = item.doc.line_of_text(loc, f"(aftale:{raw}")

                def problem(message: str, item=item, loc=loc, shown=shown, line=line) -> None:
                    problems.append(item.at(loc, f"henvisningen '{shown}': {message}", line=line))

                target = crossrefs.parse(raw, anchor, own_plan)
                if target is None:
                    problems.append(
                        item.at(
                            loc,
                            f"henvisningen '{shown}' kan ikke læses — skriv "
                            "aftale:<delaftale>#<aktivitet> eller aftale:<plan>/<delaftale>#<aktivitet>",
                            line=line,
                        )
                    )
                    continue
                key = (target.plan, target.agreement)
                has_errors = key in sources.broken or (
                    target.plan in sources.plan_files and sources.plan_files[target.plan].model is None
                )
                if target.plan not in sources.plan_files:
                    problem("planen " + unknown("planer", target.plan, plans))
                elif key in grouped:
                    activities = sorted({a.id for v in grouped[key] for a in v.model.aktiviteter})  # type: ignore[union-attr]
                    if target.anchor and target.anchor not in activities:
                        problem(
                            f"delaftalen '{target.agreement}' har selv fejl, se ovenfor"
                            if has_errors
                            else "aktiviteten " + unknown("aktiviteter", target.anchor, activities)
                        )
                elif has_errors:
                    problem(f"delaftalen '{target.agreement}' har selv fejl, se ovenfor")
                elif target.agreement not in areas:
                    known = sorted({a for p, a in grouped if p == target.plan} | areas)
                    problem(
                        f"der er ingen delaftale '{target.agreement}' i planen '{target.plan}', og det er ikke et "
                        f"indsatsområde i {VOCABULARY_FILE} — "
                        + unknown("mål", target.agreement, known).split(" — ", 1)[1]
                    )
    return problems


def check_published_versions(sources: Sources) -> list[Problem]:
    """An approved version that has been published keeps what it said: a change to its text,
    period or approval needs a dated correction note (``rettelser``), shown on its page."""
    problems = []
    for item in sources.versions:
        model: DelaftaleBase = item.model  # type: ignore[assignment]
        entry = sources.published.get(fingerprints.version_url(model))
        if entry is None or entry.status is not Dokumentstatus.GODKENDT:
            continue
        changed = fingerprints.changed_fields(entry, model, figures.of_model(model, item.path))
        if changed and len(model.rettelser) <= entry.rettelser:
            for name in changed:
                if name.startswith(fingerprints.FIGURE_PREFIX):  # an image beside the YAML: the file, not a field
                    src = name.removeprefix(fingerprints.FIGURE_PREFIX)
                    line = (
                        next((n for n, text in enumerate(item.doc.text.splitlines(), 1) if f"]({src}" in text), None)
                        if item.doc
                        else None
                    )
                    problems.append(
                        item.at(
                            (),
                            (
                                f"versionen fra {model.gyldig_fra.isoformat()} er offentliggjort og viser billedet '{src}', som er "
                                "ændret (eller fjernet) siden — en offentliggjort version ændres ikke i det stille: læg det gamle "
                                "billede tilbage, og giv det nye et nyt filnavn i en ny version (delaftale ny-version), eller "
                                "tilføj en rettelse under 'rettelser:'"
                            ),
                            line=line,
                            field="figurer",
                        )
                    )
                    continue
                problems.append(
                    item.at(
                        (name,) if name in model.model_fields_set else (),
                        (
                            f"versionen fra {model.gyldig_fra.isoformat()} er offentliggjort, og '{name}' er ændret siden — "
                            "en offentliggjort version ændres ikke i det stille: lav en ny version (delaftale ny-version), "
                            "eller tilføj en rettelse under 'rettelser:' (dato og hvad der er rettet), som vises på versionens side"
                        ),
                        field=name,
                    )
                )
    return problems


def indicators(model: DelaftaleBase) -> Iterator[tuple[tuple, Indikator]]:
    """Every indicator of a version with its location."""
    for loc, inner in walk(model):
        if isinstance(inner, Indikator):
            yield loc, inner


def check_indicator_ids(sources: Sources) -> list[Problem]:
    """An indicator's id names one indicator in its delaftale: unique in each version (across its
    delmål), and the same indicator keeps its id in every version (measurements follow it)."""
    problems = []
    for items in versions_by_agreement(sources).values():
        id_of_text: dict[str, tuple[str, SourceFile]] = {}
        for item in items:
            seen: dict[str, tuple] = {}
            texts_here = Counter(normal(i.tekst) for _, i in item.indicators)
            alike = {text for text, count in texts_here.items() if count > 1}
            for loc, indicator in item.indicators:
                if indicator.id is None:
                    continue
                if indicator.id in seen and seen[indicator.id][:-1] == loc[:-1]:
                    continue  # in the same list: check_unique_ids says so
                if indicator.id in seen:
                    problems.append(
                        item.at(
                            (*loc, "id"),
                            f"id '{indicator.id}' er allerede brugt af "
                            f"{format_loc(seen[indicator.id])} — giv indikatoren sit eget id",
                        )
                    )
                    continue
                seen[indicator.id] = loc
                earlier = id_of_text.get(normal(indicator.tekst))
                if (
                    earlier is not None
                    and earlier[0]
                    and earlier[0] != indicator.id
                    and normal(indicator.tekst) not in alike
                ):
                    problems.append(
                        item.at(
                            (*loc, "id"),
                            f"indikatoren har id '{earlier[0]}' i {earlier[1].shown} — "
                            f"en indikator beholder sit id i alle versioner: skriv id: {earlier[0]}",
                        )
                    )
            # Compared with earlier versions only, and only texts that name one indicator: two
            # indicators of one version may read alike.
            for text in alike:
                id_of_text[text] = ("", item)
            for _, indicator in item.indicators:
                if indicator.id is not None:
                    id_of_text.setdefault(normal(indicator.tekst), (indicator.id, item))
    return problems


def check_measurements(sources: Sources) -> list[Problem]:
    """maalinger.yaml lies beside a delaftale's versions and measures indicators it has (by id),
    each in one list."""
    grouped = versions_by_agreement(sources)
    problems = []
    for item in sources.measurements:
        key = item.parts[:2]
        if key not in grouped:
            if key not in sources.broken:
                problems.append(
                    item.at(
                        (),
                        f"der er ingen version af en delaftale i agreements/{key[0]}/{key[1]}/ — "  # type: ignore[index]
                        "målinger ligger ved siden af den delaftale, de måler",
                        line=1,
                    )
                )
            continue
        known = sorted({i.id for v in grouped[key] for _, i in v.indicators if i.id})
        seen: dict[str, int] = {}
        for n, series in enumerate(item.model.indikatorer):  # type: ignore[union-attr]
            loc = ("indikatorer", n, "indikator")
            if series.indikator in seen:
                problems.append(
                    item.at(
                        loc,
                        f"indikatoren '{series.indikator}' har allerede målinger i "
                        f"indikatorer[{seen[series.indikator]}] — saml dem i én liste",
                    )
                )
            elif series.indikator not in known:
                hint = "" if known else " (giv indikatoren et 'id:' i delaftalen)"
                problems.append(
                    item.at(
                        loc, "indikatoren " + unknown("indikator-id'er i delaftalen", series.indikator, known) + hint
                    )
                )
            seen.setdefault(series.indikator, n)
    return problems


_UNKNOWN = re.compile(UKENDT, re.I)


def check_unknown_amounts(sources: Sources) -> list[Problem]:
    """An amount may be ``ukendt`` in a draft or a version in consultation; an approved version
    binds the parties to its budget, so it states every amount. A plan's own budget (2013
    generation) may hold unknown amounts only while none of its delaftaler is approved."""
    approved: dict[str, str] = {}
    for item in sources.versions:
        if item.model.status is Dokumentstatus.GODKENDT:  # type: ignore[union-attr]
            approved.setdefault(item.model.plan, item.model.id)  # type: ignore[union-attr]
    problems = []
    for item in list(sources.versions) + list(sources.plans.values()):
        if item.doc is None or "raekker" not in item.doc.text or not _UNKNOWN.search(item.doc.text):
            continue  # files without a table of amounts (the word is common in agreement text): not walked
        model = item.model
        if isinstance(model, DelaftaleBase):
            if model.status is not Dokumentstatus.GODKENDT:
                continue
            why = (
                "er kun tilladt i et udkast eller en version i høring — en godkendt version skal have alle beløb: "
                "skriv beløbet (eller sæt 'status: udkast', indtil det kendes)"
            )
        else:
            if model.id not in approved:  # type: ignore[union-attr]
                continue
            why = (
                f"er kun tilladt, mens ingen af planens delaftaler er godkendt — delaftalen "
                f"'{approved[model.id]}' er godkendt, så planens budget skal have alle beløb: skriv beløbet"
            )  # type: ignore[union-attr]
        for loc, table in walk(model):
            if isinstance(table, Summetabel):
                problems += [item.at((*loc, *where), f"'ukendt' {why}") for where in table.ukendte]
    return problems


#: How far outside the plan's life a measurement may lie: a baseline measured some years before a
#: plan starts, a follow-up some years after it ends. Nothing a plan measures lies decades away;
#: 0001-01-01 or 9999-12-31 is a typing error or a placeholder, and would stretch a chart's time
#: axis over millennia.
MEASUREMENT_MARGIN_YEARS = 10


def plan_lives(sources: Sources) -> dict[str, tuple[int, int]]:
    """Plan folder -> the first and last year of the plan's life: its stated period and every
    version of its delaftaler (gyldig_fra to gyldig_til)."""
    lives: dict[str, tuple[int, int]] = {}
    for folder, item in sources.plan_files.items():
        period = item.model.periode if isinstance(item.model, Plan) else None
        if period is not None:
            lives[folder] = (period.fra.year, period.til.year)
    for item in sources.versions:
        model: DelaftaleBase = item.model  # type: ignore[assignment]
        first, last = lives.get(item.parts[0], (model.gyldig_fra.year, model.gyldig_til.year))
        lives[item.parts[0]] = (min(first, model.gyldig_fra.year), max(last, model.gyldig_til.year))
    return lives


def check_measurement_dates(sources: Sources) -> list[Problem]:
    """A measurement lies within its plan's life, give or take MEASUREMENT_MARGIN_YEARS."""
    lives = plan_lives(sources)
    problems = []
    for item in sources.measurements:
        if item.parts[0] not in lives:
            continue  # no version to measure: check_measurements says so
        first, last = lives[item.parts[0]]
        low, high = first - MEASUREMENT_MARGIN_YEARS, last + MEASUREMENT_MARGIN_YEARS
        for n, series in enumerate(item.model.indikatorer):  # type: ignore[union-attr]
            for k, measurement in enumerate(series.maalinger):
                when = measurement.tid
                year = when if isinstance(when, int) else when.year
                if not low <= year <= high:
                    shown = str(when) if isinstance(when, int) else when.isoformat()
                    problems.append(
                        item.at(
                            ("indikatorer", n, "maalinger", k, "tid"),
                            (
                                f"målingen er fra {shown}, men planen løber {first}-{last}: en måling ligger højst "
                                f"{MEASUREMENT_MARGIN_YEARS} år før eller efter planens periode (år {low}-{high}) — ret årstallet "
                                "eller datoen"
                            ),
                        )
                    )
    return problems


@per_file
def check_baseline_numbers(sources: Sources) -> list[Problem]:
    """A baseline that starts with a number is a chart's first point (models.baseline_number): the
    number is held to the same limit as a measurement (models.MAX_NUMBER)."""
    problems = []
    for item in sources.versions:
        for loc, indicator in indicators(item.model):  # type: ignore[arg-type]
            number = baseline_number(indicator)
            if number is not None and not (number.is_finite() and abs(number) <= MAX_NUMBER):
                problems.append(
                    item.at(
                        (*loc, "baseline"),
                        (
                            f"baseline begynder med et tal med {len(f'{abs(number):f}'.partition('.')[0])} cifre, men et tal i "
                            f"en aftale kan højst være {danish_number(MAX_NUMBER)} (grafen over målingerne starter i baseline) "
                            "— ret tallet"
                        ),
                    )
                )
    return problems


def check_figures(sources: Sources) -> list[Problem]:
    """Every image in a text is a local file beside the YAML, with an alternative text (figures.py)."""
    problems = []
    for item in _valid(sources):
        if item.kind not in ("plan", "version") or item.doc is None or "![" not in item.doc.text:
            continue  # most files have no figure: not walked
        for loc, text in texts(item.model):  # type: ignore[arg-type]
            for needle, message in figures.problems_in_text(text, item.path.parent):
                problems.append(item.at(loc, message, line=item.doc.line_of_text(loc, needle)))
    return problems


#: Every check, in the order its problems are most useful; each is ``Sources -> problems``.
PASSES: list[Pass] = [
    check_placement,
    check_names,
    check_unique_ids,
    check_footnotes,
    check_one_role_per_party,
    check_outlines,
    check_focus_areas,
    check_periods,
    check_cross_references,
    check_published_versions,
    check_indicator_ids,
    check_measurements,
    check_unknown_amounts,
    check_figures,
    check_measurement_dates,
    check_baseline_numbers,
]


# --------------------------------------------------------------------------- notes (not errors)


@per_version
def note_known_party_names(sources: Sources) -> list[Problem]:
    """A free name (``navn:``) that is a registered party of the plan: worth linking with ``part:``."""
    notes = []
    for item in sources.versions:
        plan = sources.plans.get(item.model.plan)  # type: ignore[union-attr]
        if plan is None:
            continue
        registered = {normal(p.navn): p for p in plan.model.parter}  # type: ignore[union-attr]
        for loc, model in walk(item.model):  # type: ignore[arg-type]
            if isinstance(model, PartReference) and model.navn and normal(model.navn) in registered:
                party = registered[normal(model.navn)]
                notes.append(
                    item.at(
                        (*loc, "navn"),
                        f"'{model.navn}' er en kendt part i planen ({party.navn}) — skriv "
                        f"'part: {party.id}' i stedet for 'navn:', så opgaverne kommer med "
                        "på partens side",
                    )
                )
    return notes


@per_file
def note_html_images(sources: Sources) -> list[Problem]:
    """An ``<img>`` (or ``<image>``) typed into a text is left out of the page: the author hears why (figures.py)."""
    notes = []
    for item in _valid(sources):
        if item.kind in ("plan", "version") and item.doc is not None and figures.html_image(item.doc.text):
            for loc, text in texts(item.model):  # type: ignore[arg-type]
                note = figures.html_image_note(text)
                if note:
                    written = figures.html_image(text)
                    notes.append(item.at(loc, note, line=item.doc.line_of_text(loc, written)))  # type: ignore[arg-type]
    return notes


_ESCAPE = re.compile(r"\\[xuU]")  # a YAML escape in double quotes ("\u202e") can write any character


def _files_holding(sources: Sources, found: Callable[[str], object]) -> Iterator[SourceFile]:
    """Valid files whose text may hold what ``found`` finds: only these are walked."""
    for item in _valid(sources):
        if item.doc is not None and (found(item.doc.text) or _ESCAPE.search(item.doc.text)):
            yield item


@functools.cache
def _personal_fields() -> frozenset[str]:
    """Names of the fields the models mark as personal data (contact persons)."""
    return frozenset(
        name for c in model_classes() for name, info in c.model_fields.items() if field_kind(info) is PERSONOPLYSNING
    )


@per_file
def note_contact_data(sources: Sources) -> list[Problem]:
    """An e-mail address or a phone number typed into running text: shown on the page as the
    agreement writes it, left out of the search index and the open data (textscan.mask); the
    author hears of it, since it may be a private person's."""
    personal = _personal_fields()
    notes = []
    for item in _files_holding(sources, textscan.contact_data):
        for loc, text in texts(item.model):  # type: ignore[arg-type]
            if personal.intersection(p for p in loc if isinstance(p, str)):
                continue  # contact persons: personal data by their field, kept out already
            for found in dict.fromkeys(f.text for f in textscan.contact_data(text)):
                what = "e-mailadressen" if "@" in found else "telefonnummeret"
                notes.append(
                    item.at(
                        loc,
                        (
                            f"teksten indeholder {what} '{found}' — siden viser den, som aftalen skriver den, men søgningen og "
                            "de åbne data udelader den (medmindre mask_contact_data er slået fra i mkdocs.yml); hører den til en "
                            "person, så skriv den under personens 'kontaktpersoner:' (og slet den, hvis den er privat)"
                        ),
                        line=item.doc.line_of_text(loc, found),
                    )
                )  # type: ignore[union-attr]
    return notes


@per_file
def note_invisible_characters(sources: Sources) -> list[Problem]:
    """A direction control or a zero-width character in a text (ids and names refuse them,
    models.py): invisible in the editor, but it changes what the page shows or what matches."""
    notes = []
    for item in _files_holding(sources, lambda text: next(textscan.invisible(text), None)):
        for loc, text in texts(item.model):  # type: ignore[arg-type]
            for char in textscan.invisible(text):
                effect = (
                    "som ændrer den rækkefølge, teksten efter det vises i"
                    if char in textscan.BIDI_CONTROLS
                    else "som får et ord til at se ud som et andet uden at være det (fx i søgningen)"
                )
                notes.append(
                    item.at(
                        loc,
                        f"teksten indeholder det usynlige tegn {textscan.describe(char)}, {effect} "
                        f"— {textscan.HOW_TO_REMOVE}",
                        line=item.doc.line_of_text(loc, char),
                    )
                )  # type: ignore[union-attr]
    return notes


NOTES: list[Pass] = [note_known_party_names, note_html_images, note_contact_data, note_invisible_characters]


# --------------------------------------------------------------------------- helpers


def normal(name: str) -> str:
    return " ".join(name.replace("&", " og ").casefold().split())


def area_lookup(vocabulary: Ordliste | None) -> Callable[[str], str | None]:
    """name as an agreement writes it -> the vocabulary's id (None: not in the vocabulary)."""
    table = {}
    for area in vocabulary.indsatsomraader if vocabulary else []:
        for name in (area.navn, *area.varianter):
            table[normal(name)] = area.id
    return lambda name: table.get(normal(name))
