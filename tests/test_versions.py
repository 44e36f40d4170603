"""Versions of one delaftale: the undated URL shows the current one, every version has a dated
URL with a status banner, and a history page lists them all."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from conftest import FIXTURE, make_project, search_documents

AGREEMENT = "lindely/tryghed"


def banner(html: str) -> str:
    match = re.search(r'<div class="versionsstatus status-(\w+)"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no status banner"
    return match[1] + ": " + " ".join(re.sub(r"<[^>]+>", "", match[2]).split())


@pytest.fixture(scope="module")
def versions_site(tmp_path_factory):
    project = make_project(
        tmp_path_factory.mktemp("versioner") / "projekt", FIXTURE.parent / "versioner" / "agreements"
    )
    result = project.build_here(SOURCE_DATE_EPOCH="1735689600")  # 2025-01-01: the middle version is current
    assert result.returncode == 0, result.stderr
    return project


def test_undated_url_serves_the_current_version(versions_site):
    html = versions_site.page(AGREEMENT)
    assert "Beboere og politi går gennem området fire gange om året." in html  # only in 2022-04-01
    assert banner(html).startswith("gældende: Gældende version. Gælder fra 1. april 2022 til 31. december 2025.")
    assert '<link rel="canonical"' not in html


def test_every_version_has_a_dated_url_with_its_banner(versions_site):
    old = versions_site.page(f"{AGREEMENT}/2020-01-01")
    assert "to gange om året" in old
    assert banner(old) == (
        "erstattet: Erstattet. Denne version gjaldt fra 1. januar 2020 og er erstattet af versionen "
        "fra 1. april 2022. Godkendt af Bestyrelsen 20. november 2019. Alle versioner"
    )
    assert '<a href="../2022-04-01/">versionen fra 1. april 2022</a>' in old
    coming = versions_site.page(f"{AGREEMENT}/2026-01-01")
    assert banner(coming).startswith(
        "kommende: Kommende version. Træder i kraft 1. januar 2026. Indtil da gælder den gældende version."
    )
    # The current version's dated address leads to the undated page, which shows that version
    # and gives the dated address to copy; a copy of the page would cost a page per agreement.
    current = versions_site.page(f"{AGREEMENT}/2022-04-01")
    assert '<meta http-equiv="refresh" content="0; url=../">' in current
    assert '<link rel="canonical" href="../">' in current
    undated = versions_site.page(AGREEMENT)
    assert '<a class="delelink" href="2022-04-01/">Link til præcis denne version</a>' in undated
    assert banner(undated).endswith("Godkendt af Bestyrelsen 14. marts 2022. Alle versioner")


def test_a_single_version_has_no_history_page_but_its_address_works(project):
    assert project.build_here().returncode == 0
    agreement = "solbakken/tryghed-og-trivsel"
    assert "Alle versioner" not in project.page(agreement)
    for alias in ("historik", "2024-01-01"):
        assert '<meta http-equiv="refresh" content="0; url=../">' in project.page(f"{agreement}/{alias}")
    manifest = json.loads((project.site / "adresser.json").read_text(encoding="utf-8"))
    assert manifest["omdirigeringer"][f"{agreement}/historik/"] == f"{agreement}/"


def test_history_lists_versions_newest_first_with_approvals_and_notes(versions_site):
    html = versions_site.page(f"{AGREEMENT}/historik")
    headings = re.findall(r'<h2 id="v([\d-]+)"', html)
    assert headings == ["2026-01-01", "2022-04-01", "2020-01-01"]
    assert "Gårdfester er tilføjet, og der holdes flere tryghedsvandringer." in html
    assert "<strong>Godkendt:</strong> Bestyrelsen, 14. marts 2022" in html
    assert '<a href="../2020-01-01/">lindely/tryghed/2020-01-01/</a>' in html


def test_history_shows_what_changed_between_versions(versions_site):
    html = versions_site.page(f"{AGREEMENT}/historik")
    newest = html[html.index('id="v2026-01-01-aendringer"') : html.index('id="v2022-04-01"')]
    assert "<strong>Fjernet:</strong> Delmål «Større oplevet tryghed»" in newest
    assert "<strong>Fjernet:</strong> Aktivitet «Tryghedsvandringer»" in newest
    middle = html[html.index('id="v2022-04-01-aendringer"') : html.index('id="v2020-01-01"')]
    assert "<strong>Tilføjet:</strong> Delmål «Flere deltager i fællesskaber»" in middle
    assert "<strong>Tilføjet:</strong> Aktivitet «Gårdfester»" in middle
    assert (
        "<strong>Ændret:</strong> Aktivitet «Tryghedsvandringer»: indhold og praksis<br>"
        '<span class="ordforskel">Beboere og politi går gennem området <del>to</del> <ins>fire</ins> gange om året.</span>'
    ) in middle
    assert re.search(
        r"<li><strong>Status:</strong> Erstattet \(af <a [^>]+>versionen fra 1. april 2022</a>\)</li>\s*<li><strong>Gælder",
        html,
    )


def test_diff_of_roles_indicators_and_sections():
    from generator.corpus import load_corpus
    from generator.render.diff import compare

    [agreement] = load_corpus(FIXTURE / "agreements").agreements
    names = {i: p.navn for i, p in agreement.plan.parties.items()}
    old = agreement.current.model
    goal = old.delmaal[0]
    indicator = goal.indikatorer[0].model_copy(update={"baseline": "65 % føler sig trygge"})
    activity = old.aktiviteter[0]
    role = activity.roller[0].model_copy(update={"opgaver": ["planlægger vandringerne", "skriver referat"]})
    new = old.model_copy(
        update={
            "delmaal": [goal.model_copy(update={"indikatorer": [indicator, *goal.indikatorer[1:]]})],
            "aktiviteter": [activity.model_copy(update={"roller": [role, *activity.roller[1:]]})],
            "revision": "Aftalen kan revideres af bestyrelsen.",
        }
    )
    changes = [(c.kind, c.what, c.detail) for c in compare(old, new, names)]
    assert (
        "ændret",
        "Delmål «Større oplevet tryghed», indikator «Andel der føler sig trygge i boligområdet»: baseline",
        "<del>61</del> <ins>65</ins> % føler sig trygge",
    ) in changes
    role = "Aktivitet «Tryghedsvandringer», rolle «Det Boligsociale Sekretariat»: opgaver"
    assert ("tilføjet", role, "skriver referat") in changes
    assert ("fjernet", role, "samler op på fundene") in changes
    assert any(c[0] == "ændret" and c[1] == "Revision af delaftalen" for c in changes)


def test_search_finds_the_undated_page_only(versions_site):
    locations = set(search_documents(versions_site.site))
    assert f"/{AGREEMENT}/" in locations
    assert not any(re.match(rf"/{AGREEMENT}/\d{{4}}-", loc) for loc in locations)


def test_the_reference_date_decides_which_version_is_current(tmp_path):
    project = make_project(tmp_path / "projekt", FIXTURE.parent / "versioner" / "agreements")
    result = project.build_here(SOURCE_DATE_EPOCH="1780272000")  # 2026-06-01
    assert result.returncode == 0, result.stderr
    assert "Fire gårdfester om året." in project.page(AGREEMENT)
    assert "tryghedsvandringerne er afsluttet" not in project.page(AGREEMENT)  # change notes are on the history page
    assert banner(project.page(f"{AGREEMENT}/2022-04-01")).startswith("erstattet:")


def test_overlapping_versions_are_a_located_error(tmp_path):
    project = make_project(tmp_path / "projekt", FIXTURE.parent / "versioner" / "agreements")
    project.edit("lindely/tryghed/2020-01-01.yaml", "gyldig_til: 2022-03-31", "gyldig_til: 2022-06-30")
    result = project.validate()
    assert result.returncode == 1
    assert (
        "agreements/lindely/tryghed/2022-04-01.yaml:6: gyldig_fra: perioden overlapper den forrige version "
        "(agreements/lindely/tryghed/2020-01-01.yaml), der gælder til 2022-06-30 — sæt gyldig_til i den forrige "
        "version til dagen før 2022-04-01"
    ) in result.stderr


def test_atom_feed_lists_versions_newest_first_linking_dated_pages(versions_site):
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(versions_site.site / "feed.xml").getroot()
    assert feed.tag == f"{atom}feed"
    assert feed.findtext(f"{atom}updated") == "2025-10-02T00:00:00Z"
    entries = feed.findall(f"{atom}entry")
    links = [e.find(f"{atom}link").get("href") for e in entries]
    assert links == [f"{AGREEMENT}/2026-01-01/", f"{AGREEMENT}/2022-04-01/", f"{AGREEMENT}/2020-01-01/"]
    for link in links:
        assert (versions_site.site / link / "index.html").is_file()
    ids = [e.findtext(f"{atom}id") for e in entries]
    assert len(set(ids)) == 3 and all(" " not in i for i in ids)
    assert "Gårdfester er tilføjet" in entries[1].findtext(f"{atom}summary")
    assert 'type="application/atom+xml"' in versions_site.page(AGREEMENT)


def _check(project, previous) -> subprocess.CompletedProcess:
    return project.run("-m", "generator.cli", "tjek-adresser", "--forrige", str(previous), "--site", "site")


def test_a_disappearing_address_fails_the_check_and_a_declared_rename_redirects(tmp_path):
    project = make_project(tmp_path / "projekt", FIXTURE.parent / "versioner" / "agreements")
    assert project.build_here().returncode == 0
    published = tmp_path / "publicerede-adresser.json"
    published.write_text((project.site / "adresser.json").read_text(encoding="utf-8"), encoding="utf-8")
    assert _check(project, published).returncode == 0

    # removing a version makes its dated address disappear
    (project.agreements / "lindely" / "tryghed" / "2020-01-01.yaml").unlink()
    assert project.build_here().returncode == 0
    result = _check(project, published)
    assert result.returncode == 1
    assert f"/{AGREEMENT}/2020-01-01/ var offentliggjort, men findes ikke i den nye udgave" in result.stderr
    assert f"/{AGREEMENT}/2020-01-01/delaftale.json var offentliggjort" in result.stderr  # its data file too
    assert f"/{AGREEMENT}/2020-01-01/delaftale.pdf var offentliggjort" in result.stderr  # and its PDF
    assert result.stderr.count("var offentliggjort") == 3

    # renaming the delaftale without declaring the old id breaks every address of it ...
    project = make_project(tmp_path / "projekt2", FIXTURE.parent / "versioner" / "agreements")
    renamed = project.agreements / "lindely" / "tryghed-og-trivsel"
    (project.agreements / "lindely" / "tryghed").rename(renamed)  # the folder is the id
    for version in renamed.glob("*.yaml"):
        version.write_text(
            re.sub(r"^id: tryghed$", "id: tryghed-og-trivsel", version.read_text(encoding="utf-8"), flags=re.M),
            encoding="utf-8",
        )
    assert project.build_here().returncode == 0
    result = _check(project, published)
    assert result.returncode == 1 and f"/{AGREEMENT}/ var offentliggjort" in result.stderr

    # ... and declaring it turns the old addresses into redirects
    for version in renamed.glob("*.yaml"):
        version.write_text(
            re.sub(
                r"^id: tryghed-og-trivsel$",
                "id: tryghed-og-trivsel\ntidligere_id: [tryghed]",
                version.read_text(encoding="utf-8"),
                flags=re.M,
            ),
            encoding="utf-8",
        )
    assert project.build_here().returncode == 0
    assert _check(project, published).returncode == 0
    redirect = (project.site / AGREEMENT / "2022-04-01" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../tryghed-og-trivsel/2022-04-01/">' in redirect
    assert (project.site / "lindely" / "tryghed-og-trivsel" / "2022-04-01" / "index.html").is_file()
    # a data file cannot redirect: the old address keeps a copy
    assert (project.site / AGREEMENT / "2022-04-01" / "delaftale.json").read_bytes() == (
        project.site / "lindely" / "tryghed-og-trivsel" / "2022-04-01" / "delaftale.json"
    ).read_bytes()
    # a PDF cannot redirect: the old address has a copy
    assert (project.site / AGREEMENT / "delaftale.pdf").read_bytes() == (
        project.site / "lindely" / "tryghed-og-trivsel" / "delaftale.pdf"
    ).read_bytes()


def test_two_versions_with_the_same_date_are_a_located_error(tmp_path):
    project = make_project(tmp_path / "projekt", FIXTURE.parent / "versioner" / "agreements")
    copy = (project.agreements / "lindely" / "tryghed" / "2022-04-01.yaml").read_text(encoding="utf-8")
    project.write("lindely/tryghed/2022-04-01-rettet.yaml", copy)
    result = project.validate()
    assert result.returncode == 1
    assert ("gyldig_fra: en anden version af samme delaftale (agreements/lindely/tryghed/2022-04-01") in result.stderr
    assert "hver version skal have sin egen startdato" in result.stderr
