"""``delaftale importer``: an existing agreement (Word, PDF or text) into draft YAML. Imports ``base``, ``model``, ``source`` and ``corpus``.

Reading (read_docx, read_pdf, read_txt) gives a neutral document (document.py); recognition
(recognize.py for LBF's delaftaler, recognize2013.py for a 2013 master plan, with what both read
in text.py, parties.py, tables.py and draft.py) builds the plan and version data; this module validates them with the project's
own loading before anything is written, and never overwrites a file.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.base.problems import DelaftaleError
from generator.corpus import load_corpus
from generator.importer.document import Block, ImportFejl, expand_schema_tables
from generator.importer.draft import AreaLookup, Draft
from generator.importer.recognize import build_delaftale
from generator.importer.recognize2013 import build_helhedsplan
from generator.importer.text import norm
from generator.importer.yamlwrite import dump, unwrap
from generator.model.fields import ID_PATTERN, suggest_id
from generator.source.loading import read_file
from generator.source.sourcefiles import PLAN_FILE, VOCABULARY_FILE, area_lookup

__all__ = ["ImportFejl", "ImportResult", "import_document", "read_document"]

PLAN_HEADER = "# yaml-language-server: $schema=../../schema/plan.schema.json"
VERSION_HEADER = "# yaml-language-server: $schema=../../../schema/delaftale.schema.json"


@dataclass
class ImportResult:
    written: list[Path]
    report: list[str]


def read_document(path: Path) -> list[Block]:
    """The document as blocks; an activity schema laid out as a form table becomes labels and content."""
    return expand_schema_tables(_read(path))


def _read(path: Path) -> list[Block]:
    if not path.is_file():
        raise ImportFejl(f"{path}: filen findes ikke")
    suffix = path.suffix.lower()
    # each reader imports its library (python-docx, pdfplumber) when its format is read: start-up time
    if suffix == ".docx":
        from generator.importer.read_docx import read_docx

        return read_docx(path)
    if suffix == ".pdf":
        from generator.importer.read_pdf import read_pdf

        return read_pdf(path)
    if suffix in (".txt", ".md"):
        from generator.importer.read_txt import read_text_file

        return read_text_file(path)
    raise ImportFejl(
        f"{path}: filtypen '{suffix or '(ingen)'}' kan ikke importeres — brug en Word-fil (.docx), "
        "en PDF (.pdf) eller en tekstfil (.txt); gem en gammel .doc-fil som .docx i Word først"
    )


def guess_generation(blocks: list[Block]) -> str:
    """The template generation the document's own headings name."""
    text = " ".join(norm(b.text) for b in blocks[:400] if b.kind != "table")
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


def build_draft(
    blocks: list[Block],
    skabelon: str,
    plan_id: str | None,
    existing_parties: list[dict] | None,
    templates: Path,
    areas: AreaLookup,
) -> Draft:
    """The draft of a document of generation ``skabelon``: one delaftale (LBF's templates), or a
    2013 master plan with one version per indsatsområde; ``existing_parties``: see build_delaftale."""
    if skabelon == "helhedsplan-2013":
        return build_helhedsplan(blocks, plan_id, areas)
    return build_delaftale(blocks, skabelon, plan_id, existing_parties, templates, areas)


def _areas(agreements: Path):
    """The focus-area vocabulary's lookup (sourcefiles.area_lookup), read as every build reads it."""
    path = agreements / VOCABULARY_FILE
    if not path.is_file():
        return area_lookup(None)
    item = read_file(path, agreements, None)
    if item.model is None:
        raise ImportFejl(
            f"{VOCABULARY_FILE} har fejl; ret dem først (delaftale validate):\n"
            + "\n".join(str(p) for p in item.problems)
        )
    return area_lookup(item.model)


def import_document(
    source: Path,
    agreements: Path,
    *,
    plan_id: str | None = None,
    skabelon: str | None = None,
    templates: Path | None = None,
) -> ImportResult:
    """Read ``source``, recognise it, validate the draft and write its files under ``agreements``."""
    if plan_id is not None and not ID_PATTERN.fullmatch(plan_id):  # it names a folder: never a path
        raise ImportFejl(
            f"--plan '{plan_id}' er ikke et plan-id — skriv id'et på en plan (navnet på dens mappe i "
            f"{agreements}), med kun små bogstaver a-z, tal og bindestreger, fx --plan {suggest_id(plan_id)}"
        )
    blocks = read_document(source)
    if not any(b.text.strip() or b.rows for b in blocks):
        raise ImportFejl(f"{source}: dokumentet indeholder ingen tekst")
    skabelon = skabelon or guess_generation(blocks)
    templates = templates or agreements.resolve().parent / "templates"
    areas = _areas(agreements)
    draft = build_draft(blocks, skabelon, plan_id, None, templates, areas)
    plan_file = agreements / draft.plan["id"] / PLAN_FILE
    if plan_file.is_file():  # the plan exists: match its parties and leave its plan.yaml alone
        existing = yaml.safe_load(plan_file.read_text(encoding="utf-8")) or {}
        draft = build_draft(blocks, skabelon, draft.plan["id"], existing.get("parter") or [], templates, areas)
    return write_draft(draft, agreements)


def _targets(draft: Draft, agreements: Path) -> dict[Path, str]:
    plan_id = draft.plan["id"]
    files: dict[Path, str] = {}
    if not (agreements / plan_id / PLAN_FILE).is_file():
        files[agreements / plan_id / PLAN_FILE] = dump(draft.plan, PLAN_HEADER)
    else:
        draft.report.append(
            f"planen '{plan_id}' findes: plan.yaml er ikke ændret; roller for parter, der ikke "
            "står i den, har 'navn:' (tilføj parten i plan.yaml og skriv 'part:' for at linke)"
        )
    for version in draft.versions:
        name = f"{unwrap(version['gyldig_fra'])}.yaml"
        files[agreements / plan_id / unwrap(version["id"]) / name] = dump(version, VERSION_HEADER)
    return files


def _relative(path: Path, agreements: Path) -> Path:
    """Where ``path`` lies in ``agreements``; an ImportFejl where it (or a link on its way) leads out."""
    try:
        relative = path.relative_to(agreements)
        path.resolve().relative_to(agreements.resolve())
    except ValueError:
        relative = None
    if relative is None or ".." in relative.parts:
        raise ImportFejl(
            f"{path} ligger uden for {agreements}, og importen skriver kun i mappen med aftaler — "
            "intet er skrevet; tjek --plan, og om en mappe i den er et link ud af den"
        )
    return relative


def write_draft(draft: Draft, agreements: Path) -> ImportResult:
    files = _targets(draft, agreements)
    relative = {path: _relative(path, agreements) for path in files}  # before anything is written, the copy too
    taken = [p for p in files if p.exists()]
    if taken:
        raise ImportFejl(
            "filen findes allerede og overskrives ikke: "
            + ", ".join(str(p) for p in taken)
            + " — flyt eller slet den, eller importer til en anden plan med --plan"
        )
    _validate({relative[path]: text for path, text in files.items()}, agreements)
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as stream:  # "x": never overwrite, even in a race
            stream.write(text)
    return ImportResult(list(files), draft.report)


def _validate(files: dict[Path, str], agreements: Path) -> None:
    """Check the draft with the project's own loading, in a temporary copy: the vocabulary, the plan,
    the new files (``files``: paths relative to ``agreements``, each inside it: see _relative)."""
    with tempfile.TemporaryDirectory(prefix="delaftale-import-") as tmp:
        copy = Path(tmp) / "agreements"
        copy.mkdir()
        if (agreements / VOCABULARY_FILE).is_file():
            shutil.copy(agreements / VOCABULARY_FILE, copy)
        for relative, text in files.items():
            if (agreements / relative.parts[0] / PLAN_FILE).is_file() and not (copy / relative.parts[0]).exists():
                shutil.copytree(agreements / relative.parts[0], copy / relative.parts[0])
            target = copy / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            load_corpus(copy, root=Path(tmp), include_drafts=True)
        except DelaftaleError as exc:
            raise ImportFejl("udkastet validerer ikke; intet er skrevet:\n" + exc.report()) from None
