"""Find, read and validate every agreement file, collecting all problems in one pass.

Layout of the agreements folder (the file name ``plan.yaml`` marks a plan; every other
YAML file is one version of one delaftale)::

    agreements/<plan-id>/plan.yaml
    agreements/<plan-id>/<delaftale-id>/<gyldig_fra>.yaml
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import crossrefs
from .errors import DelaftaleError, Problem, display_path
from .messages import format_loc, translate
from .models import GENERATIONS, Ordliste, Plan, suggest_id
from .structure import Agreement, Corpus, PlanEntry, Version, danish_sort_key
from .gcpause import without_gc_pauses
from .parallel import in_two
from .yamlsource import SourceDocument, YamlSyntaxError, parse_yaml

PLAN_FILE = "plan.yaml"
VOCABULARY_FILE = "indsatsomraader.yaml"  # at the top of the agreements folder


@dataclass
class _Source:
    """One parsed file; ``model`` is None when the data did not validate."""

    path: Path
    shown: str
    doc: SourceDocument
    model: BaseModel | None

    def raw(self, key: str) -> object:
        return self.doc.data.get(key) if isinstance(self.doc.data, dict) else None


class _Collector:
    def __init__(self, root: Path | None):
        self.root = root
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []  # worth a look, but not errors: the build goes on

    def add(self, shown: str, line: int | None, loc: tuple, message: str) -> None:
        self.problems.append(Problem(shown, line, format_loc(loc), message))

    def at(self, item: _Source, loc: tuple, message: str) -> None:
        self.add(item.shown, item.doc.line_of(loc), loc, message)


def find_sources(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _validate(path: Path, shown: str, doc: SourceDocument, out: _Collector, *, vocabulary: bool = False) -> BaseModel | None:
    data = doc.data
    if not isinstance(data, dict):
        out.add(shown, 1, (), "filen skal bestå af felter ('felt: værdi'), ikke en liste eller en enkelt tekst")
        return None
    model_cls: type[BaseModel]
    if vocabulary:
        model_cls = Ordliste
    elif path.name == PLAN_FILE:
        model_cls = Plan
    else:
        skabelon = data.get("skabelon")
        if skabelon is None:
            out.add(shown, 1, ("skabelon",),
                    f"feltet 'skabelon' mangler — tilføj fx 'skabelon: lbf-2019' "
                    f"(filer med en plan skal hedde {PLAN_FILE})")
            return None
        if not isinstance(skabelon, str) or skabelon not in GENERATIONS:
            out.add(shown, doc.line_of(("skabelon",)), ("skabelon",),
                    f"ukendt skabelon {skabelon!r} — vælg en af: {', '.join(GENERATIONS)}")
            return None
        model_cls = GENERATIONS[skabelon]
    try:
        return model_cls.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message = translate(error, model_cls)
            out.add(shown, doc.line_of(loc), loc, message)
        return None


def _unknown(kind: str, value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    hint = f"mente du '{close[0]}'?" if close else (
        f"kendte {kind}: {', '.join(known)}" if known else f"der er ingen {kind} endnu")
    return f"'{value}' findes ikke — {hint}"


def _items(data: object, key: str) -> list[tuple[int, dict]]:
    """The mapping items of list ``data[key]``, tolerating any shape (the data may be invalid)."""
    value = data.get(key) if isinstance(data, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _ids(data: object, key: str) -> list[tuple[int, str]]:
    return [(i, v["id"]) for i, v in _items(data, key) if isinstance(v.get("id"), str)]


def _duplicates(item: _Source, key: str, what: str, out: _Collector) -> None:
    seen: dict[str, int] = {}
    for i, ident in _ids(item.doc.data, key):
        if ident in seen:
            out.at(item, (key, i, "id"), f"id '{ident}' er allerede brugt af {key}[{seen[ident]}] — giv {what} sit eget id")
        seen.setdefault(ident, i)


def _check_references(item: _Source, party_ids: list[str], out: _Collector,
                      party_names: dict[str, tuple[str, str]] | None = None) -> None:
    """Checks across fields and files. Reads the raw data, so they run even when the model
    is invalid: the author sees every problem in one run."""
    data = item.doc.data
    hint = " (skriv 'navn:' i stedet for 'part:' for en part, der ikke står i plan.yaml)"

    def party(loc: tuple, entry: dict) -> None:
        ref = entry.get("part")
        if isinstance(ref, str) and ref not in party_ids:
            out.at(item, (*loc, "part"), "parten " + _unknown("parter i planen", ref, party_ids) + hint)
        name = entry.get("navn")
        if isinstance(name, str) and party_names and _normal(name) in party_names:
            ident, registered = party_names[_normal(name)]
            out.notes.append(Problem(item.shown, item.doc.line_of((*loc, "navn")), format_loc((*loc, "navn")),
                                     f"'{name}' er en kendt part i planen ({registered}) — skriv 'part: {ident}' "
                                     "i stedet for 'navn:', så opgaverne kommer med på partens side"))

    for g, group in _items(data, "parter"):
        for d, member in _items(group, "deltagere"):
            party(("parter", g, "deltagere", d), member if isinstance(member, dict) else {})
        members = group.get("deltagere") if isinstance(group, dict) else None
        for d, member in enumerate(members if isinstance(members, list) else []):
            if isinstance(member, str):  # the shorthand '- Navn' is a free name too
                party(("parter", g, "deltagere", d), {"navn": member})
    for a, activity in _items(data, "aktiviteter"):
        groups = [(("aktiviteter", a), activity)]
        groups += [(("aktiviteter", a, "rollegrupper", g), group) for g, group in _items(activity, "rollegrupper")]
        for loc, group in groups:
            holders: dict[str, int] = {}
            for r, role in _items(group, "roller"):
                party((*loc, "roller", r), role)
                name = role.get("navn")
                holder = role.get("part") or (suggest_id(name) if isinstance(name, str) else None)
                if isinstance(holder, str) and holder in holders:
                    out.at(item, (*loc, "roller", r),
                           f"parten har allerede en rolle her (roller[{holders[holder]}]) — saml opgaverne under én rolle")
                elif isinstance(holder, str):
                    holders[holder] = r
    _duplicates(item, "aktiviteter", "aktiviteten", out)
    _duplicates(item, "fodnoter", "fodnoten", out)

    footnotes = [ident for _, ident in _ids(data, "fodnoter")]
    for m, goal in _items(data, "delmaal"):
        for i, indicator in _items(goal, "indikatorer"):
            refs = indicator.get("fodnoter")
            for n, ref in enumerate(refs if isinstance(refs, list) else []):
                if isinstance(ref, str) and ref not in footnotes:
                    out.at(item, ("delmaal", m, "indikatorer", i, "fodnoter", n),
                           "fodnoten " + _unknown("fodnoter", ref, footnotes) + " — tilføj den under 'fodnoter:'")


@dataclass
class _Read:
    sources: list[_Source]
    problems: list[Problem]
    unreadable_plan_folders: set[Path]
    clean: set[Path]  # files without any problem: worth keeping in a cache


def _read(paths: Sequence[Path], folder: Path, root: Path | None) -> _Read:
    """Parse and validate each file on its own (the checks across files come later)."""
    out = _Collector(root)
    result = _Read([], out.problems, set(), set())
    for path in paths:
        shown = display_path(path, root)
        try:
            doc = parse_yaml(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            out.add(shown, None, (), "filen er ikke gemt som UTF-8 — gem den igen med tegnsættet UTF-8")
            continue
        except YamlSyntaxError as exc:
            for problem in exc.problems:
                out.add(shown, problem.line, (), problem.message)
            if path.name == PLAN_FILE:
                result.unreadable_plan_folders.add(path.parent.resolve())
            continue
        for problem in doc.problems:
            out.add(shown, problem.line, (), problem.message)
        is_vocabulary = path.parent == folder and path.name == VOCABULARY_FILE
        problems_before = len(out.problems)
        result.sources.append(_Source(path, shown, doc, _validate(path, shown, doc, out, vocabulary=is_vocabulary)))
        if len(out.problems) == problems_before and not doc.problems:
            result.clean.add(path)
    return result


@without_gc_pauses
def load_corpus(folder: Path, *, root: Path | None = None, reference_date: date | None = None,
                cache: dict | None = None) -> Corpus:
    """Read and validate everything under ``folder``; raise :class:`DelaftaleError` listing every problem.

    ``cache`` (any dict, kept by the caller between calls) holds each file that read cleanly,
    under its modification time and size: ``mkdocs serve`` then re-reads only the file an
    author saved, not a thousand others. The checks across files run every time."""
    out = _Collector(root)
    reference_date = reference_date or date.today()
    if not folder.is_dir():
        raise DelaftaleError([Problem(display_path(folder, root), None, "",
                                      "mappen med aftaler findes ikke — opret den eller ret stien i mkdocs.yml")])
    sources: list[_Source] = []
    unreadable_plan_folders: set[Path] = set()
    to_read: dict[Path, tuple[int, int]] = {}  # path -> (mtime, size) as seen before reading it
    for path in find_sources(folder):
        stat = path.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        known = cache.get(path) if cache is not None else None
        if known is not None and known[0] == version:
            sources.append(_Source(path, display_path(path, root), *known[1:]))
        else:
            to_read[path] = version
    # Reading is most of the work and each file stands alone: two processes (parallel.py).
    for read in in_two(lambda paths: _read(paths, folder, root), list(to_read)):
        sources += read.sources
        out.problems += read.problems
        unreadable_plan_folders |= read.unreadable_plan_folders
        if cache is not None:
            for source in read.sources:
                if source.path in read.clean:
                    cache[source.path] = (to_read[source.path], source.doc, source.model)
    sources.sort(key=lambda source: source.path)
    vocabulary = next((s for s in sources if isinstance(s.model, Ordliste)), None)
    sources = [s for s in sources if not (s.path.parent == folder and s.path.name == VOCABULARY_FILE)]
    plans = [s for s in sources if s.path.name == PLAN_FILE]
    versions = [s for s in sources if s.path.name != PLAN_FILE and isinstance(s.doc.data, dict)]
    area_of = _area_lookup(vocabulary.model if vocabulary else None)  # type: ignore[arg-type]

    # Plans first: agreements are checked against the plan they name.
    plan_sources: dict[str, _Source] = {}
    for item in plans:
        plan_id = item.raw("id")
        if not isinstance(plan_id, str):
            continue
        if plan_id in plan_sources:
            out.at(item, ("id",), f"planen '{plan_id}' findes også i {plan_sources[plan_id].shown} — giv planen et andet id")
            continue
        plan_sources[plan_id] = item
        _duplicates(item, "parter", "parten", out)
    plan_by_folder = {s.path.parent.resolve(): pid for pid, s in plan_sources.items()}

    grouped: dict[tuple[str, str], list[_Source]] = defaultdict(list)
    for item in versions:
        plan_id = item.raw("plan")
        if not isinstance(plan_id, str):
            continue
        if plan_id not in plan_sources:
            if unreadable_plan_folders & set(item.path.resolve().parents):
                continue  # its plan.yaml has a syntax error, reported already
            out.at(item, ("plan",), "planen " + _unknown("planer", plan_id, sorted(plan_sources)))
            continue
        folder_plan = next((plan_by_folder[p] for p in item.path.resolve().parents if p in plan_by_folder), None)
        if folder_plan is not None and folder_plan != plan_id:
            out.at(item, ("plan",), f"filen ligger i mappen for planen '{folder_plan}', men siger plan: {plan_id} — "
                                    "ret feltet eller flyt filen")
            continue
        party_ids = sorted({ident for _, ident in _ids(plan_sources[plan_id].doc.data, "parter")})
        party_names = {_normal(p["navn"]): (p["id"], p["navn"]) for _, p in _items(plan_sources[plan_id].doc.data, "parter")
                       if isinstance(p.get("navn"), str) and isinstance(p.get("id"), str)}
        _check_references(item, party_ids, out, party_names)
        name = item.raw("indsatsomraade")
        if vocabulary is not None and isinstance(name, str) and area_of(name) is None:
            out.at(item, ("indsatsomraade",),
                   f"indsatsområdet '{name}' står ikke i {vocabulary.shown} — brug et af navnene der, "
                   "eller tilføj det (som nyt indsatsområde eller som variant af et)")
            continue
        if item.model is not None:
            grouped[(plan_id, item.model.id)].append(item)  # type: ignore[attr-defined]

    _check_cross_references(plans + versions, plan_sources, grouped, vocabulary, out)

    for items in grouped.values():
        items.sort(key=lambda it: it.model.gyldig_fra)  # type: ignore[union-attr]
        for earlier, later in zip(items, items[1:]):
            if earlier.model.gyldig_fra == later.model.gyldig_fra:  # type: ignore[union-attr]
                out.at(later, ("gyldig_fra",),
                       f"en anden version af samme delaftale ({earlier.shown}) har samme gyldig_fra — "
                       "hver version skal have sin egen startdato")
            elif later.model.gyldig_fra <= earlier.model.gyldig_til:  # type: ignore[union-attr]
                out.at(later, ("gyldig_fra",),
                       f"perioden overlapper den forrige version ({earlier.shown}), der gælder til "
                       f"{earlier.model.gyldig_til.isoformat()} — sæt gyldig_til i den forrige version til dagen før "  # type: ignore[union-attr]
                       f"{later.model.gyldig_fra.isoformat()}")  # type: ignore[union-attr]

    if out.problems:
        raise DelaftaleError(out.problems)

    entries = {pid: PlanEntry(s.model, s.path) for pid, s in plan_sources.items()}  # type: ignore[arg-type]
    for (plan_id, _), items in grouped.items():
        entry = entries[plan_id]
        agreement = Agreement(entry, [Version(it.model, it.path) for it in items], reference_date)  # type: ignore[arg-type]
        agreement.area_id = area_of(agreement.current.model.indsatsomraade) or suggest_id(agreement.current.model.indsatsomraade)
        entry.agreements.append(agreement)
    for entry in entries.values():
        entry.agreements.sort(key=lambda a: (a.current.model.raekkefoelge or 0, danish_sort_key(a.current.model.indsatsomraade)))
    names = {a.id: a.navn for a in vocabulary.model.indsatsomraader} if vocabulary else {}  # type: ignore[union-attr]
    corpus = Corpus(sorted(entries.values(), key=lambda e: danish_sort_key(e.plan.navn)), reference_date, names)
    corpus.notes = sorted(out.notes)
    return corpus


def _check_cross_references(sources: list[_Source], plans: dict[str, _Source],
                            published: dict[tuple[str, str], list[_Source]], vocabulary: _Source | None,
                            out: _Collector) -> None:
    """Every `[…](aftale:…)` reference names a published delaftale (and an activity in it) or a
    focus area of the vocabulary that the plan has not published."""
    areas = {a.id for a in vocabulary.model.indsatsomraader} if vocabulary else set()  # type: ignore[union-attr]
    for item in sources:
        own_plan = item.raw("id") if item.path.name == PLAN_FILE else item.raw("plan")
        if not isinstance(own_plan, str) or not item.doc.may_reference_agreements:
            continue
        for loc, raw_target, anchor in crossrefs.references(item.doc.data):
            target = crossrefs.parse(raw_target, anchor, own_plan)
            shown = f"aftale:{raw_target}" + (f"#{anchor}" if anchor else "")
            if target is None:
                out.at(item, loc, f"henvisningen '{shown}' kan ikke læses — skriv aftale:<delaftale>#<aktivitet> "
                                  "eller aftale:<plan>/<delaftale>#<aktivitet>")
            elif target.plan not in plans:
                out.at(item, loc, f"henvisningen '{shown}': planen " + _unknown("planer", target.plan, sorted(plans)))
            elif (target.plan, target.agreement) in published:
                activities = {a.id for v in published[(target.plan, target.agreement)] for a in v.model.aktiviteter}  # type: ignore[union-attr]
                if target.anchor and target.anchor not in activities:
                    out.at(item, loc, f"henvisningen '{shown}': aktiviteten "
                                      + _unknown("aktiviteter", target.anchor, sorted(activities)))
            elif target.agreement not in areas:
                known = sorted({a for p, a in published if p == target.plan} | areas)
                out.at(item, loc, f"henvisningen '{shown}': der er ingen delaftale '{target.agreement}' i planen "
                                  f"'{target.plan}', og det er ikke et indsatsområde i {VOCABULARY_FILE} — "
                                  + _unknown("mål", target.agreement, known).split(" — ", 1)[1])


def _normal(name: str) -> str:
    return " ".join(name.replace("&", " og ").casefold().split())


def _area_lookup(vocabulary: Ordliste | None):
    """name as an agreement writes it -> the vocabulary's id (None: not in the vocabulary)."""
    table = {}
    for area in vocabulary.indsatsomraader if vocabulary else []:
        for name in (area.navn, *area.varianter):
            table[_normal(name)] = area.id
    return lambda name: table.get(_normal(name))
