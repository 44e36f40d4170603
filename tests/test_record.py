"""The published record never misleads: a complete change history, a read-only past, names
that agree with content, and document status (drafts, consultation)."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from conftest import FIXTURE, REPO, Built, make_project
from pydantic import BaseModel

from generator.corpus import load_corpus
from generator.model.fields import ADRESSERING, PERSONOPLYSNING, REDAKTIONEL, VERSIONSOPLYSNING, field_kind
from generator.render.diff import compare

AGREEMENT = "lindely/tryghed"
EPOCH_2025 = {"SOURCE_DATE_EPOCH": "1735689600"}  # 2025-01-01


def build(project, **env) -> Built:
    """In this process: the messages asserted are the plugin's log, as the command prints them."""
    return project.build_here(**{**EPOCH_2025, **env})


def versions_project(tmp_path: Path):
    return make_project(tmp_path / "projekt", FIXTURE.parent / "versioner" / "agreements")


# --------------------------------------------------------------------------- history from the models


def _leaves(model: BaseModel, path: tuple = (), personal=None):
    """(path, value, field info) of every leaf value in ``model``; below a field of personal data,
    that field's info (the history says that contact persons changed, not who they are); below
    a fact about the version (a correction's date and text), that field's info (shown in its entry)."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        named_by = personal or (info if field_kind(info) in (PERSONOPLYSNING, VERSIONSOPLYSNING) else None)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            where = (*path, name) if i is None else (*path, name, i)
            if isinstance(item, BaseModel):
                yield from _leaves(item, where, named_by)
            elif item is not None:
                yield where, item, named_by or info


def _replace(node, path: tuple, value):
    """A copy of ``node`` with the value at ``path`` replaced (no validation: totals may not add up)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        items = list(node)
        items[head] = _replace(items[head], rest, value)
        return items
    return node.model_copy(update={head: _replace(getattr(node, head), rest, value)})


def _changed(value):
    if isinstance(value, str):
        return value + " (ændret)"
    if isinstance(value, date):
        return value + timedelta(days=1)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return value + 1
    raise AssertionError(f"no way to change {value!r}")


def test_the_history_names_every_changed_field_of_every_bundled_agreement():
    corpus = load_corpus(REPO / "agreements", reference_date=date(2025, 1, 1))
    checked = 0
    for agreement in corpus.agreements:
        names = {i: p.navn for i, p in agreement.plan.parties.items()}
        old = agreement.current.model
        for path, value, info in _leaves(old):
            kind = field_kind(info) or field_kind(type(old).model_fields[path[0]])  # inside a correction note too
            if kind in (VERSIONSOPLYSNING, ADRESSERING, REDAKTIONEL):
                continue  # shown in each history entry / the site's addresses, not the agreement's text
            if isinstance(value, str) and value in (
                "effekt",
                "aktivitetsnaer",
                "beboerniveau",
                "kvarterniveau",
                "bydelsniveau",
                "lbf-2019",
                "lbf-2017",
                "helhedsplan-2013",
            ):
                continue  # a choice, not free text: changing it would not validate (the diff still sees it)
            new_value = _changed(value) if path[-1] != "part" else "en-anden-part"
            changes = compare(old, _replace(old, path, new_value), names)
            label = info.title or ""
            label = label[:1].lower() + label[1:]
            shown = str(new_value).split(" (ændret)")[0]
            assert changes, f"{agreement.url}: changing {path} gives no change in the history"
            assert any(
                label in c.what
                or label.capitalize() in c.what
                or str(new_value) in c.what
                or (shown and shown in c.detail)
                or "ændret" in c.detail
                for c in changes
            ), f"{agreement.url}: changing {path} is not named: {changes}"
            checked += 1
    assert checked >= 50 * len(corpus.agreements)  # every leaf of every real agreement


def test_every_fact_about_a_version_is_shown_in_its_history_entry():
    """The fields the comparison skips as facts about the version are shown in each entry instead."""
    from generator.model.delaftale import GENERATIONS

    template = (REPO / "templates" / "historik.md.j2").read_text(encoding="utf-8")
    banner = (REPO / "templates" / "komponenter" / "status.md.j2").read_text(encoding="utf-8")
    facts = {
        name
        for cls in GENERATIONS.values()
        for name, info in cls.model_fields.items()
        if field_kind(info) is VERSIONSOPLYSNING
    }
    assert facts >= {"gyldig_fra", "gyldig_til", "godkendt", "aendringsnote", "status", "rettelser"}
    for name in facts:
        assert f"version.model.{name}" in template or (name == "status" and "standing(version)" in template), name
        assert f"version.model.{name}" in banner or name in ("aendringsnote", "status"), name


def test_a_changed_budget_and_success_criteria_of_a_2017_agreement_are_in_the_history(tmp_path):
    project = make_project(tmp_path / "projekt", FIXTURE.parent / "generationer" / "agreements")
    first = project.agreements / "havebyen" / "tryghed" / "2018-01-01.yaml"
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("gyldig_til: 2021-12-31", "gyldig_til: 2019-12-31"), encoding="utf-8")
    second = (
        text.replace("gyldig_fra: 2018-01-01", "gyldig_fra: 2020-01-01")
        .replace("beloeb: '3.100'", "beloeb: '3.200'")
        .replace("total: '5.028'", "total: '5.128'")
        .replace("Andelen af utrygge beboere falder til 20 %", "Andelen af utrygge beboere falder til 15 %")
    )
    assert second != text and "2021-12-31" in text
    project.write("havebyen/tryghed/2020-01-01.yaml", second)
    result = build(project, SOURCE_DATE_EPOCH="1609459200")  # 2021-01-01
    assert result.returncode == 0, result.stderr
    history = project.page("havebyen/tryghed/historik")
    changes = history[history.index('id="v2020-01-01-aendringer"') :]
    assert "Ingen ændringer" not in changes
    assert "Indsatsområdets økonomi, række «Landsbyggefonden»: beløb" in changes
    assert "<del>3.100</del> <ins>3.200</ins>" in changes
    assert "Indsatsområdets økonomi: total" in changes
    assert "Succeskriterium «Andelen af utrygge beboere falder til 15 %»: succeskriterium" in changes
    assert "<del>20</del> <ins>15</ins> %" in changes


# --------------------------------------------------------------------------- the past is read-only


def _new_version(project, *args) -> subprocess.CompletedProcess:
    return project.run("-m", "generator.cli", "ny-version", f"agreements/{AGREEMENT}", *args)


def test_ny_version_leaves_an_expired_version_alone_and_asks_for_an_end(tmp_path):
    project = versions_project(tmp_path)
    newest = project.agreements / AGREEMENT / "2026-01-01.yaml"
    before = newest.read_bytes()
    result = _new_version(project, "--fra", "2030-06-01")
    assert result.returncode == 1
    assert (
        "den nyeste version (2026-01-01.yaml) slutter 2029-12-31, før den nye starter — angiv den nye versions "
        "slutdato med --til ÅÅÅÅ-MM-DD"
    ) in result.stderr
    assert not (project.agreements / AGREEMENT / "2030-06-01.yaml").exists()

    result = _new_version(project, "--fra", "2030-06-01", "--til", "2033-05-31")
    assert result.returncode == 0, result.stderr
    assert newest.read_bytes() == before  # ended before the new start: untouched
    new = (project.agreements / AGREEMENT / "2030-06-01.yaml").read_text(encoding="utf-8")
    assert "\ngyldig_fra: 2030-06-01\ngyldig_til: 2033-05-31\nstatus: udkast" in new
    assert not re.search(r"^(godkendt|aendringsnote|rettelser):", new, re.M)
    assert new.startswith("# yaml-language-server")  # the author's file, not a re-serialisation
    assert project.validate().returncode == 0  # valid straight away


def test_ny_version_closes_only_the_overlapping_version_and_notes_it_when_published(tmp_path):
    project = versions_project(tmp_path)
    assert build(project).returncode == 0
    (project.root / "publicerede-adresser.json").write_bytes((project.site / "adresser.json").read_bytes())
    folder = project.agreements / AGREEMENT
    older = {p.name: p.read_bytes() for p in folder.glob("*.yaml") if p.name != "2026-01-01.yaml"}

    result = _new_version(project, "--fra", "2028-01-01")
    assert result.returncode == 0, result.stderr
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml") if p.name in older} == older
    closed = (folder / "2026-01-01.yaml").read_text(encoding="utf-8")
    assert "\ngyldig_til: 2027-12-31\n" in closed
    assert re.search(
        rf"rettelser:\n  - dato: {date.today().isoformat()}\n    tekst: Gyldighedsperioden er afkortet fra "
        r"31\. december 2029 til 31\. december 2027, fordi versionen fra 1\. januar 2028 afløser denne "
        r"version\.\n",
        closed,
    )
    assert "gyldig_til: 2029-12-31" in (folder / "2028-01-01.yaml").read_text(encoding="utf-8")  # its old end
    assert project.validate().returncode == 0, project.validate().stderr

    result = build(project, SOURCE_DATE_EPOCH="1767225600")  # 2026-01-01: the closed version is current
    assert result.returncode == 0, result.stderr
    assert f"Rettet {date.today().day}." in project.page(AGREEMENT)


def test_a_published_version_cannot_change_silently(tmp_path):
    project = versions_project(tmp_path)
    assert build(project).returncode == 0
    (project.root / "publicerede-adresser.json").write_bytes((project.site / "adresser.json").read_bytes())
    published = json.loads((project.root / "publicerede-adresser.json").read_text(encoding="utf-8"))
    assert published["versioner"][f"{AGREEMENT}/2020-01-01/"]["status"] == "godkendt"

    relative = f"{AGREEMENT}/2020-01-01.yaml"
    project.edit(relative, "gyldig_til: 2022-03-31", "gyldig_til: 2021-12-31")
    project.edit(relative, "to gange om året", "tre gange om året")
    result = project.validate()
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = (project.agreements / relative).read_text(encoding="utf-8").splitlines()
    until = next(i for i, line in enumerate(lines, 1) if line.startswith("gyldig_til"))
    activities = next(i for i, line in enumerate(lines, 1) if line.startswith("aktiviteter:"))
    assert (
        f"agreements/{relative}:{until}: gyldig_til: versionen fra 2020-01-01 er offentliggjort, og 'gyldig_til' er "
        "ændret siden — en offentliggjort version ændres ikke i det stille"
    ) in result.stderr
    assert (
        f"agreements/{relative}:{activities}: aktiviteter: versionen fra 2020-01-01 er offentliggjort" in result.stderr
    )
    assert build(project).returncode == 1  # the build refuses too, naming the same

    (project.agreements / relative).write_text(
        (project.agreements / relative).read_text(encoding="utf-8")
        + "rettelser:\n  - dato: 2025-02-03\n    tekst: Trykfejl i antallet af tryghedsvandringer og i slutdatoen.\n",
        encoding="utf-8",
    )
    assert project.validate().returncode == 0
    assert build(project).returncode == 0
    page = project.page(f"{AGREEMENT}/2020-01-01")
    assert "<strong>Rettet 3. februar 2025:</strong> Trykfejl i antallet af tryghedsvandringer og i slutdatoen." in page
    history = project.page(f"{AGREEMENT}/historik")
    assert "<strong>Rettet 3. februar 2025:</strong>" in history


# --------------------------------------------------------------------------- names agree with content


def test_a_stray_copy_with_another_id_is_a_located_naming_error(tmp_path):
    project = versions_project(tmp_path)
    copy = (project.agreements / AGREEMENT / "2022-04-01.yaml").read_text(encoding="utf-8")
    project.write(
        f"{AGREEMENT}/kladde.yaml",
        copy.replace("id: tryghed\n", "id: tryghed-2\n")
        .replace("gyldig_fra: 2022-04-01", "gyldig_fra: 2030-01-01")
        .replace("gyldig_til: 2025-12-31", "gyldig_til: 2031-12-31"),
    )
    result = project.validate()
    assert result.returncode == 1
    shown = f"agreements/{AGREEMENT}/kladde.yaml"
    assert (
        f"{shown}:6: gyldig_fra: en version skal hedde sin gyldig_fra — omdøb filen til 2030-01-01.yaml, eller ret "
        "gyldig_fra"
    ) in result.stderr
    assert (
        f"{shown}:2: id: delaftalen har id 'tryghed-2', men ligger i mappen 'tryghed' — ret id til 'tryghed', eller "
        f"flyt filen til agreements/lindely/tryghed-2/"
    ) in result.stderr
    project.write("lindely/noter.yaml", "id: noget\n")
    result = project.validate()
    assert "agreements/lindely/noter.yaml:1: filen ligger et sted, hvor der ikke må ligge aftaler" in result.stderr


# --------------------------------------------------------------------------- document status


def _with_status(project, name: str, status: str, extra: str = "") -> None:
    text = (project.agreements / AGREEMENT / "2026-01-01.yaml").read_text(encoding="utf-8")
    text = re.sub(r"godkendt:\n  af: Bestyrelsen\n  dato: 2025-10-02\n", f"status: {status}\n{extra}", text)
    text = text.replace("gyldig_fra: 2026-01-01", f"gyldig_fra: {name}").replace(
        "gyldig_til: 2029-12-31", "gyldig_til: 2031-12-31"
    )
    project.edit(f"{AGREEMENT}/2026-01-01.yaml", "gyldig_til: 2029-12-31", f"gyldig_til: {_day_before(name)}")
    project.write(f"{AGREEMENT}/{name}.yaml", text)


def _day_before(day: str) -> str:
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def test_drafts_are_not_published_and_a_preview_shows_them_with_a_banner(tmp_path):
    project = versions_project(tmp_path)
    _with_status(project, "2030-01-01", "udkast")
    assert project.validate().returncode == 0
    result = build(project, SOURCE_DATE_EPOCH="1925078400")  # 2031-01-01: a draft is never current
    assert result.returncode == 0, result.stderr
    assert not (project.site / AGREEMENT / "2030-01-01").exists()
    assert "Udkast" not in project.page(AGREEMENT) and "2030" not in project.page(f"{AGREEMENT}/historik")
    assert "2030-01-01" not in (project.site / "feed.xml").read_text(encoding="utf-8")
    manifest = (project.site / "adresser.json").read_text(encoding="utf-8")
    assert "2030-01-01" not in manifest

    result = build(project, SOURCE_DATE_EPOCH="1925078400", DELAFTALER_UDKAST="true")
    assert result.returncode == 0, result.stderr
    draft = project.page(f"{AGREEMENT}/2030-01-01")
    assert "<strong>Udkast – ikke godkendt.</strong>" in draft
    assert '<div class="versionsstatus status-udkast"' in draft
    assert "Udkast" not in project.page(AGREEMENT)  # the approved version stays the current one
    assert "2030-01-01" not in (project.site / "feed.xml").read_text(encoding="utf-8")
    assert "2030-01-01" not in (project.site / "adresser.json").read_text(encoding="utf-8")


def test_a_version_in_consultation_is_published_with_its_banner_and_deadline_but_never_current(tmp_path):
    project = versions_project(tmp_path)
    _with_status(project, "2030-01-01", "i_hoering", "hoeringsfrist: 2029-10-15\n")
    result = build(project, SOURCE_DATE_EPOCH="1925078400")  # 2031-01-01
    assert result.returncode == 0, result.stderr
    page = project.page(f"{AGREEMENT}/2030-01-01")
    assert '<div class="versionsstatus status-i-høring"' in page
    assert (
        "<strong>I høring – ikke godkendt.</strong> Denne version er sendt i høring med frist 15. oktober 2029." in page
    )
    current = project.page(AGREEMENT)
    assert "I høring" not in current and "1. januar 2026" in current  # the approved one is current (expired)
    feed = ET.parse(project.site / "feed.xml").getroot()
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert "Lindely i Fællesskab: Tryghed og trivsel (version fra 2030-01-01 – i høring)" in titles


def test_contradictory_status_is_a_located_error(tmp_path):
    project = versions_project(tmp_path)
    project.edit(f"{AGREEMENT}/2026-01-01.yaml", "gyldig_til: 2029-12-31", "gyldig_til: 2029-12-31\nstatus: udkast")
    result = project.validate()
    assert result.returncode == 1
    assert (
        "2026-01-01.yaml:8: status: versionen har status 'udkast', men også 'godkendt:' — slet 'status:', når "
        "versionen er godkendt, eller slet 'godkendt:'"
    ) in result.stderr


def test_the_seeds_real_agreements_stay_approved():
    corpus = load_corpus(REPO / "agreements", reference_date=date(2025, 1, 1))
    assert corpus.agreements and all(v.model.status == "godkendt" for a in corpus.agreements for v in a.versions)
