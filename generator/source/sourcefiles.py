"""The agreements folder's files as read: their layout, :class:`SourceFile` (one file, its
model and problems) and :class:`Sources` (all of them, before they are assembled into a corpus),
with the lookups several checks and the importer share (versions by delaftale, indicators, the
focus-area vocabulary)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel

from generator.base.problems import Problem
from generator.model.delaftale import DelaftaleBase
from generator.model.fingerprints import RecordedVersion
from generator.model.indicators import Indikator, Maalinger
from generator.model.messages import format_loc
from generator.model.plan import Ordliste, Plan
from generator.model.walk import walk
from generator.source.yamlfile import SourceDocument

PLAN_FILE = "plan.yaml"
MEASUREMENTS_FILE = "maalinger.yaml"  # beside a delaftale's versions: agreements/<plan>/<delaftale>/maalinger.yaml
VOCABULARY_FILE = "indsatsomraader.yaml"  # at the top of the agreements folder
SUFFIX = ".yaml"  # the one spelling: file names are addresses (check_names), and one spelling finds every file
WRONG_SUFFIX = "forkert_endelse"  # the kind of a .yml or .YAML file: refused by name, not read (loading.read_file)
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


def versions_by_agreement(sources: Sources) -> dict[tuple[str, str], list[SourceFile]]:
    """(plan folder, delaftale folder) -> its valid versions, oldest first."""
    grouped: dict[tuple[str, str], list[SourceFile]] = defaultdict(list)
    for item in sources.versions:
        grouped[item.parts[:2]].append(item)  # type: ignore[index]
    for items in grouped.values():
        items.sort(key=lambda it: it.model.gyldig_fra)  # type: ignore[union-attr]
    return grouped


def indicators(model: DelaftaleBase) -> Iterator[tuple[tuple, Indikator]]:
    """Every indicator of a version with its location."""
    for loc, inner in walk(model):
        if isinstance(inner, Indikator):
            yield loc, inner


def normal(name: str) -> str:
    return " ".join(name.replace("&", " og ").casefold().split())


def area_lookup(vocabulary: Ordliste | None) -> Callable[[str], str | None]:
    """name as an agreement writes it -> the vocabulary's id (None: not in the vocabulary)."""
    table = {}
    for area in vocabulary.indsatsomraader if vocabulary else []:
        for name in (area.navn, *area.varianter):
            table[normal(name)] = area.id
    return lambda name: table.get(normal(name))
