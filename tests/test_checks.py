"""The checks across files, each a plain function ``Sources -> problems``, tested alone on real files."""

from __future__ import annotations

import pytest
from conftest import FIXTURE, make_project

from generator.source.checks import PASSES
from generator.source.checks.documents import check_unique_ids
from generator.source.checks.layout import check_names
from generator.source.checks.published import check_published_versions
from generator.source.checks.versions import check_periods
from generator.source.loading import read_sources
from generator.source.sourcefiles import Sources


def sources(project, published: dict | None = None) -> Sources:
    """``published``: what the manifest last published records of each version, by URL."""
    return Sources(project.agreements, read_sources(project.agreements, project.root), published or {})


@pytest.fixture
def versions(tmp_path):
    return make_project(tmp_path / "projekt", FIXTURE.parent / "versioner" / "agreements")


def test_every_pass_finds_nothing_in_a_valid_collection(versions):
    read = sources(versions)
    for check in PASSES:
        assert check(read) == [], check.__name__


def test_periods_alone(versions):
    versions.edit("lindely/tryghed/2022-04-01.yaml", "gyldig_til: 2025-12-31", "gyldig_til: 2026-06-30")
    [problem] = check_periods(sources(versions))
    assert problem.file.endswith("2026-01-01.yaml") and problem.field == "gyldig_fra"
    assert "overlapper den forrige version" in problem.message


def test_names_alone(versions):
    versions.edit("lindely/tryghed/2022-04-01.yaml", "plan: lindely", "plan: lindely-2")
    [problem] = check_names(sources(versions))
    assert problem.field == "plan" and "planen 'lindely-2' findes ikke" in problem.message


def test_unique_ids_alone(versions):
    versions.edit(
        "lindely/plan.yaml",
        "  - id: sekretariatet",
        "  - id: sekretariatet\n    navn: Kopi\n    type: andet\n  - id: sekretariatet",
    )
    found = check_unique_ids(sources(versions))
    assert [p.field for p in found] == ["parter[1].id"]
    assert "giv parten sit eget id" in found[0].message


def test_published_versions_alone(versions):
    from generator.model import fingerprints
    from generator.model.delaftale import DelaftaleBase

    read = sources(versions)
    published = {
        fingerprints.version_url(f.model): fingerprints.entry(f.model)
        for f in read.versions
        if isinstance(f.model, DelaftaleBase)
    }
    assert check_published_versions(sources(versions, published)) == []
    versions.edit("lindely/tryghed/2020-01-01.yaml", "af: Bestyrelsen", "af: Styregruppen")
    [problem] = check_published_versions(sources(versions, published))
    assert problem.field == "godkendt" and problem.file.endswith("2020-01-01.yaml")
