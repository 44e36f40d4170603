"""A PDF of every published version: where it is, what it says, that it is accessible (tags,
language, bookmarks), that two builds give the same bytes, and that the cache spares a rebuild."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from html import unescape
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURE, REPO, Built, build_in_process, make_project
from pypdf import PdfReader

from generator.publish.pdf import PdfSource, pdf_html

SITE_URL = "https://delaftaler.example.dk/"
AGREEMENT = "lindely/tryghed"
EPOCH = "1735689600"  # 2025-01-01: 2020 is replaced, 2022 current, 2026 coming


def _build(project, **env) -> Built:
    result = project.build_here(SOURCE_DATE_EPOCH=EPOCH, DELAFTALER_SITE_URL=SITE_URL, **env)
    assert result.returncode == 0, result.stderr
    return result


def _made(result: subprocess.CompletedProcess) -> tuple[int, int]:
    match = re.search(r"PDF: (\d+) lavet, (\d+) genbrugt", result.stderr)
    assert match, result.stderr
    return int(match[1]), int(match[2])


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def versions_project(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("pdf") / "projekt", FIXTURE.parent / "versioner" / "agreements")
    newest = (project.agreements / AGREEMENT / "2026-01-01.yaml").read_text(encoding="utf-8")
    draft = re.sub(r"godkendt:\n  af: .*\n  dato: .*\n", "status: udkast\n", newest)
    project.write(
        f"{AGREEMENT}/2030-01-01.yaml", draft.replace("2026-01-01", "2030-01-01").replace("2029-12-31", "2033-12-31")
    )
    project.first_build = _build(project)
    return project


def test_every_published_version_has_a_pdf_beside_its_page_and_none_for_a_draft(versions_project):
    site = versions_project.site
    for key in ("2020-01-01", "2022-04-01", "2026-01-01"):
        assert (site / AGREEMENT / key / "delaftale.pdf").read_bytes().startswith(b"%PDF-")
    assert not (site / AGREEMENT / "2030-01-01" / "delaftale.pdf").exists()
    # the undated address is the current version's PDF
    assert (site / AGREEMENT / "delaftale.pdf").read_bytes() == (
        site / AGREEMENT / "2022-04-01" / "delaftale.pdf"
    ).read_bytes()
    manifest = json.loads((site / "adresser.json").read_text(encoding="utf-8"))["sider"]
    assert sorted(p for p in manifest if p.endswith(".pdf")) == [
        f"{AGREEMENT}/2020-01-01/delaftale.pdf",
        f"{AGREEMENT}/2022-04-01/delaftale.pdf",
        f"{AGREEMENT}/2026-01-01/delaftale.pdf",
        f"{AGREEMENT}/delaftale.pdf",
    ]


def test_pages_and_history_link_the_pdfs(versions_project):
    link = '<a class="pdflink" href="delaftale.pdf">Hent som PDF</a>'
    assert link in versions_project.page(AGREEMENT)
    assert link in versions_project.page(f"{AGREEMENT}/2020-01-01")
    history = versions_project.page(f"{AGREEMENT}/historik")
    for key, day in (
        ("2020-01-01", "1. januar 2020"),
        ("2022-04-01", "1. april 2022"),
        ("2026-01-01", "1. januar 2026"),
    ):
        assert f'<a href="../{key}/delaftale.pdf">Hent versionen fra {day} som PDF</a>' in history
    assert "2030-01-01/delaftale.pdf" not in history


def test_the_pdf_is_tagged_danish_with_metadata_and_bookmarks(versions_project):
    with pikepdf.open(versions_project.site / AGREEMENT / "2022-04-01" / "delaftale.pdf") as pdf:
        root = pdf.Root
        assert str(root.Lang) == "da"
        assert bool(root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in root and len(root.StructTreeRoot.K) > 0
        assert "pdfuaid:part" in str(pdf.open_metadata())  # declared PDF/UA-1
        assert str(pdf.docinfo.Title) == "Delaftale for indsatsområdet Tryghed og trivsel (version fra 1. april 2022)"
        assert str(pdf.docinfo.Author) == "Lindely i Fællesskab"
        with pdf.open_outline() as outline:
            top = outline.root[0]
            assert top.title == "Delaftale for indsatsområdet Tryghed og trivsel"
            assert "Delmål og indikatorer for indsatsområdet" in [item.title for item in top.children]


def test_the_pdf_has_the_title_page_facts_the_agreement_and_the_address_in_the_footer(versions_project):
    text = _text(versions_project.site / AGREEMENT / "2022-04-01" / "delaftale.pdf")
    for fact in (
        "Gældende version. Gælder fra 1. april 2022 til 31. december 2025.",
        "Godkendt af Bestyrelsen 14. marts 2022.",
        "Boligsocial indsats: Lindely i Fællesskab",
        "Indsatsområde: Tryghed og trivsel",
        "Gælder: 1. april 2022 – 31. december 2025",
        "Antal deltagere i gårdfester",  # the agreement itself
        f"{SITE_URL}{AGREEMENT}/2022-04-01/ · Gældende",
        "Side 1 af",
    ):
        assert fact in text, fact
    assert "Hent som PDF" not in text and "Kopiér" not in text  # the web page's furniture is left out
    replaced = _text(versions_project.site / AGREEMENT / "2020-01-01" / "delaftale.pdf")
    assert f"{SITE_URL}{AGREEMENT}/2020-01-01/ · Erstattet" in replaced


def test_a_rebuild_reuses_the_cache_and_gives_the_same_bytes_and_a_changed_version_is_remade(versions_project):
    project, site = versions_project, versions_project.site
    assert _made(project.first_build) == (3, 0)
    cache = project.root / ".cache" / "pdf"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    pdfs = {p: p.read_bytes() for p in site.rglob("*.pdf")}

    assert _made(_build(project)) == (0, 3)  # nothing changed: nothing made
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    assert {p: p.read_bytes() for p in site.rglob("*.pdf")} == pdfs

    for entry in cache.iterdir():  # a cold build with the same SOURCE_DATE_EPOCH: the same bytes
        entry.unlink()
    assert _made(_build(project)) == (3, 0)
    assert {p: p.read_bytes() for p in site.rglob("*.pdf")} == pdfs

    project.edit(f"{AGREEMENT}/2026-01-01.yaml", "revideres af styregruppen", "revideres hvert år af styregruppen")
    assert _made(_build(project)) == (1, 2)
    assert (site / AGREEMENT / "2026-01-01" / "delaftale.pdf").read_bytes() != pdfs[
        site / AGREEMENT / "2026-01-01" / "delaftale.pdf"
    ]
    assert "revideres hvert år af styregruppen" in _text(site / AGREEMENT / "2026-01-01" / "delaftale.pdf")
    assert (site / AGREEMENT / "2022-04-01" / "delaftale.pdf").read_bytes() == pdfs[
        site / AGREEMENT / "2022-04-01" / "delaftale.pdf"
    ]


def test_the_footer_text_is_escaped_for_css():
    source = PdfSource(
        "a/index.md",
        ("a/delaftale.pdf",),
        'Titel "med" <tegn>',
        "Plan & co",
        'https://x.dk/a"b\\c/',
        "gældende",
        created=date(2025, 1, 1),
        modified=date(2025, 3, 2),
    )
    document = pdf_html(source, "<h1>T</h1>")
    assert "<title>Titel &quot;med&quot; &lt;tegn&gt;</title>" in document
    assert '--fod: "https://x.dk/a\\22 b\\5c c/ \\b7  Gældende"' in document
    assert '<meta name="dcterms.created" content="2025-01-01">' in document
    assert '<meta name="dcterms.modified" content="2025-03-02">' in document


@pytest.mark.slow  # builds the bundled site with its PDFs
def test_every_bundled_agreement_has_its_pdf(tmp_path):
    site = tmp_path / "site"
    result = build_in_process(REPO, site, SOURCE_DATE_EPOCH=EPOCH)
    assert result.returncode == 0, result.stderr
    agreements = [
        page.parent
        for page in site.glob("*/*/index.html")
        if '<a class="pdflink" href="delaftale.pdf">' in page.read_text(encoding="utf-8")
    ]
    assert len(agreements) == 8
    for folder in agreements:
        html = (folder / "index.html").read_text(encoding="utf-8")
        title = unescape(re.search(r"<h1[^>]*>(.*?)<", html)[1])
        text = _text(folder / "delaftale.pdf")
        assert title in text and f"{folder.relative_to(site).as_posix()}/" in text  # title page, footer
        with pikepdf.open(folder / "delaftale.pdf") as pdf:
            assert str(pdf.Root.Lang) == "da" and "/StructTreeRoot" in pdf.Root
