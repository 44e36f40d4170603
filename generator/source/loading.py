"""Find, read and validate every agreement file, collecting all problems in one pass.

Layout of the agreements folder; a file's place says what it is, and its content must agree
(see :func:`generator.source.checks.layout.check_names`)::

    agreements/indsatsomraader.yaml                         the focus-area vocabulary
    agreements/<plan-id>/plan.yaml                          a plan
    agreements/<plan-id>/<delaftale-id>/<gyldig_fra>.yaml   one version of one delaftale
    agreements/<plan-id>/<delaftale-id>/maalinger.yaml      measurements of its indicators (optional)

Loading has three steps: each file is read and validated into its model on its own
(:func:`read_sources`); the checks across fields and files run as small passes over those
models (:mod:`generator.source.checks`); the valid models are assembled into the corpus (:func:`generator.corpus.load_corpus`).
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ValidationError

from generator.base.parallel import in_two
from generator.base.problems import Problem, display_path
from generator.model.delaftale import GENERATIONS
from generator.model.indicators import Maalinger
from generator.model.messages import translate_all
from generator.model.plan import Ordliste, Plan
from generator.source.sourcefiles import PLAN_FILE, SUFFIX, WRONG_SUFFIX, SourceFile, file_kind
from generator.source.yamlfile import SourceDocument, YamlSyntaxError, parse_yaml


def find_sources(folder: Path) -> list[Path]:
    """Every YAML file, however its suffix is spelled: a '.yml' or '.YAML' is refused by name
    (:func:`wrong_suffix`), never silently left out."""
    found = []
    # os.walk (scandir) knows a file from a folder without a stat a file; Path.rglob and
    # is_file took a seventh of a preview's rebuild at 1,000 agreements.
    for top, folders, names in os.walk(folder):
        folders.sort()
        found += [Path(top, name) for name in names if name[-5:].lower() == ".yaml" or name[-4:].lower() == ".yml"]
    return sorted(path for path in found if path.is_file())  # not a FIFO or a socket so named


def wrong_suffix(item: SourceFile) -> Problem:
    """Why a file spelled '.yml' or '.YAML' is not read: one spelling, because a version's file
    name is its address (checks.check_names) and 'plan.yaml' and 'maalinger.yaml' are found by name."""
    path = item.path
    wanted = path.with_suffix(SUFFIX)
    clash = (
        f" (der findes allerede en {wanted.name} ved siden af: slet den af de to, der er forældet)"
        if wanted.exists() and not wanted.samefile(path)
        else ""
    )  # one file where case does not count
    return item.at(
        (),
        f"filen ender på '{path.suffix}', men aftalernes filer skal ende på '{SUFFIX}' (med små "
        f"bogstaver), ellers læses de ikke — omdøb den til {wanted.name}{clash}",
    )


def _model_class(kind: str, doc: SourceDocument, item: SourceFile) -> type[BaseModel] | None:
    """The model a file must validate as, or None after reporting why there is none."""
    if kind == "ordliste":
        return Ordliste
    if kind == "plan":
        return Plan
    if kind == "maalinger":
        return Maalinger
    data = doc.data  # a version; a misplaced file is validated as one too, so its problems show now
    skabelon = data.get("skabelon") if isinstance(data, dict) else None
    if skabelon is None and kind == "fejlplaceret":
        return None  # not a version: its place is the problem (checks.check_placement)
    if skabelon is None:
        item.problems.append(
            item.at(
                (),
                f"feltet 'skabelon' mangler — tilføj fx 'skabelon: lbf-2019' "
                f"(filer med en plan skal hedde {PLAN_FILE})",
                line=1,
                field="skabelon",
            )
        )
        return None
    if not isinstance(skabelon, str) or skabelon not in GENERATIONS:
        item.problems.append(
            item.at(("skabelon",), f"ukendt skabelon {skabelon!r} — vælg en af: {', '.join(GENERATIONS)}")
        )
        return None
    return GENERATIONS[skabelon]


def read_file(path: Path, folder: Path, root: Path | None, context: dict | None = None) -> SourceFile:
    """Parse and validate one file; its problems are kept with it. ``context`` is pydantic's
    validation context (the plan's party ids for a version)."""
    kind = file_kind(path, folder)
    item = SourceFile(path, display_path(path, root), path.relative_to(folder).parts, kind)
    if kind == WRONG_SUFFIX:
        item.problems.append(wrong_suffix(item))
        return item
    try:
        stat = path.stat()  # as seen before reading: a save during the read is noticed next time
        item.stat = (stat.st_mtime_ns, stat.st_size)
        item.doc = parse_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        item.problems.append(item.at((), "filen er ikke gemt som UTF-8 — gem den igen med tegnsættet UTF-8"))
        return item
    except YamlSyntaxError as exc:
        item.problems += [Problem(item.shown, p.line, "", p.message) for p in exc.problems]
        return item
    item.problems += [Problem(item.shown, p.line, "", p.message) for p in item.doc.problems]
    if not isinstance(item.doc.data, dict):
        item.problems.append(
            item.at((), "filen skal bestå af felter ('felt: værdi'), ikke en liste eller en enkelt tekst", line=1)
        )
        return item
    model_cls = _model_class(kind, item.doc, item)
    if model_cls is None:
        return item
    try:
        model = model_cls.model_validate(item.doc.data, context=context)
    except ValidationError as exc:
        for loc, message in translate_all(exc.errors(include_url=False), model_cls):
            item.problems.append(item.at(loc, message))
        return item
    if not item.problems:  # a duplicate key leaves data, but the file is not clean
        item.model = model
    return item


def _party_context(plan: SourceFile | None) -> dict | None:
    """What a version's party references are checked against: its plan's party ids. From a plan
    that did not validate, the ids it does list (so references are still checked in the same
    run); without a readable plan, nothing."""
    if plan is None or plan.doc is None:
        return None
    if isinstance(plan.model, Plan):
        return {"parter": frozenset(p.id for p in plan.model.parter)}
    parties = plan.doc.data.get("parter") if isinstance(plan.doc.data, dict) else None
    ids = [p.get("id") for p in parties if isinstance(p, dict)] if isinstance(parties, list) else []
    return {"parter": frozenset(i for i in ids if isinstance(i, str))}


def read_sources(folder: Path, root: Path | None, cache: dict | None = None) -> list[SourceFile]:
    """Every file under ``folder``, read and validated on its own.

    ``cache`` (any dict, kept by the caller between calls) holds each file that read cleanly,
    under its modification time and size and the context it was validated in: ``mkdocs serve``
    then re-reads only the file an author saved, not a thousand others."""
    paths = find_sources(folder)
    kinds = {p: file_kind(p, folder) for p in paths}
    # Plans (few, small) first: the versions are validated against their plan's parties.
    plans = {p.parent.name: _cached_read(p, folder, root, None, cache) for p in paths if kinds[p] == "plan"}
    rest = [p for p in paths if kinds[p] != "plan"]
    contexts = {name: _party_context(plan) for name, plan in plans.items()}
    depth = len(folder.parts)

    def context_of(path: Path) -> dict | None:  # a file in a plan's agreement folder: its plan's parties
        return contexts.get(path.parts[depth]) if len(path.parts) == depth + 3 else None

    items: list[SourceFile] = list(plans.values())
    to_read = []
    for path in rest:
        known = _from_cache(path, context_of(path), cache)
        if known is None:
            to_read.append(path)
        else:
            items.append(known)
    # Reading is most of the work and each file stands alone: two processes (parallel.py).
    for share in in_two(lambda share: [read_file(p, folder, root, context_of(p)) for p in share], to_read):
        for item in share:
            _keep(item, context_of(item.path), cache)
            items.append(item)
    return sorted(items, key=lambda item: item.path)


def _from_cache(path: Path, context: dict | None, cache: dict | None) -> SourceFile | None:
    if cache is None:
        return None
    known = cache.get(path)
    stat = path.stat()
    if known is not None and known[0] == (stat.st_mtime_ns, stat.st_size, context):
        return known[1]
    cache.pop(path, None)
    return None


def _keep(item: SourceFile, context: dict | None, cache: dict | None) -> None:
    """Keep a clean file for the next load; a file with problems is read again, so the next load
    reports them again."""
    if cache is not None and item.model is not None and item.stat is not None:
        cache[item.path] = ((*item.stat, context), item)


def _cached_read(path: Path, folder: Path, root: Path | None, context: dict | None, cache: dict | None) -> SourceFile:
    item = _from_cache(path, context, cache)
    if item is None:
        item = read_file(path, folder, root, context)
        _keep(item, context, cache)
    return item
