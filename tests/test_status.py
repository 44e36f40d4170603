"""Statuses are enums, "is this version published?" is asked in one place, and the manifest of
public URLs is one class that reads, writes and answers (publish/manifest.py)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import FIXTURE, REPO, make_project
from pydantic import ValidationError

from generator.corpus import Visningsstatus, load_corpus
from generator.model.delaftale import GENERATIONS, Dokumentstatus
from generator.model.fingerprints import RecordedVersion
from generator.model.messages import translate
from generator.publish.manifest import Manifest, version_records

AGREEMENT = "lindely/tryghed"
APPROVAL = "godkendt:\n  af: Bestyrelsen\n  dato: 2025-10-02\n"


@pytest.fixture
def with_draft(tmp_path):
    """The versions project with its newest version turned back into a draft."""
    project = make_project(tmp_path / "projekt", FIXTURE.parent / "versioner" / "agreements")
    project.edit(f"{AGREEMENT}/2026-01-01.yaml", APPROVAL, "status: udkast\n")
    return project


def test_the_document_status_is_held_as_the_enum_and_checked_as_its_words():
    cls = GENERATIONS["lbf-2019"]
    field = cls.model_fields["status"]
    assert field.default is Dokumentstatus.GODKENDT
    with pytest.raises(ValidationError) as caught:
        RecordedVersion.model_validate({"status": "Godkendt", "rettelser": 0, "felter": {}})
    [error] = caught.value.errors()
    assert error["type"] == "literal_error"  # so its Danish message lists the words, as before
    _, message = translate(error, RecordedVersion)
    assert message == "'Godkendt' er ikke en gyldig værdi — vælg en af: 'udkast', 'i_hoering', 'godkendt'"
    recorded = RecordedVersion.model_validate(
        {"status": "i_hoering", "rettelser": 0, "felter": {}}
    )  # strict: JSON's text
    assert recorded.status is Dokumentstatus.I_HOERING
    assert recorded.model_dump(mode="json")["status"] == "i_hoering"


def test_a_draft_is_in_a_preview_but_never_published(with_draft):
    corpus = load_corpus(
        with_draft.agreements, root=with_draft.root, reference_date=date(2026, 6, 1), include_drafts=True
    )
    [agreement] = corpus.agreements
    draft = agreement.versions[-1]
    assert draft.model.status is Dokumentstatus.UDKAST and not draft.published
    assert agreement.status_of(draft) is Visningsstatus.UDKAST
    assert [v for _, v in corpus.published_versions()] == agreement.versions[:-1]
    assert all(v.published for v in agreement.versions[:-1])
    assert set(version_records(corpus)) == {f"{AGREEMENT}/2020-01-01/", f"{AGREEMENT}/2022-04-01/"}
    public = load_corpus(with_draft.agreements, root=with_draft.root, reference_date=date(2026, 6, 1))
    assert [v.key for v in public.agreements[0].versions] == ["2020-01-01", "2022-04-01"]


def test_statuses_on_a_day_are_the_display_enum_in_listing_order():
    project_corpus = load_corpus(FIXTURE.parent / "versioner" / "agreements", reference_date=date(2026, 6, 1))
    [agreement] = project_corpus.agreements
    standings = [agreement.standing(v) for v in agreement.versions]
    assert [s.status for s in standings] == [
        Visningsstatus.ERSTATTET,
        Visningsstatus.ERSTATTET,
        Visningsstatus.GAELDENDE,
    ]
    assert [s.successor for s in standings] == [agreement.versions[1], agreement.versions[2], None]
    assert agreement.status is Visningsstatus.GAELDENDE and project_corpus.plans[0].status is Visningsstatus.GAELDENDE
    assert [s.value for s in Visningsstatus] == ["gældende", "kommende", "i høring", "udløbet", "erstattet", "udkast"]


def test_the_published_manifest_reads_and_writes_back_byte_for_byte():
    path = REPO / "publicerede-adresser.json"
    manifest = Manifest.read(path)
    assert manifest.text() == path.read_text(encoding="utf-8")
    url = next(iter(manifest.versioner))
    assert manifest.record(url) is manifest.versioner[url] and manifest.was_published(url)
    assert manifest.record("ingen/plan/2020-01-01/") is None and not manifest.was_published("ingen/plan/2020-01-01/")


def test_the_manifest_answers_which_addresses_a_newer_build_lost(tmp_path):
    before = Manifest.of_build(["b/", "a/"], {"gammel/": "a/"}, data_files=["data/x.csv"])
    assert before.sider == ["a/", "b/"]  # sorted: a rebuild writes the same bytes
    after = Manifest.of_build(["a/"], {"b/": "a/"})
    assert before.missing_in(after) == ["data/x.csv", "gammel/"]
    assert after.missing_in(before) == []
    target = tmp_path / "adresser.json"
    before.write(target)
    assert Manifest.read(target) == before and json.loads(target.read_text(encoding="utf-8"))["datafiler"] == [
        "data/x.csv"
    ]
    assert Manifest.read_published(tmp_path / "findes-ikke.json") == Manifest.empty()
    with pytest.raises(FileNotFoundError):
        Manifest.read(tmp_path / "findes-ikke.json")
