"""The public address (site_url, from DELAFTALER_SITE_URL): absolute canonical links, feed,
sitemap and permanent links when it is set; relative links and a Danish note when it is not;
a failed build and a failed `delaftale validate` when a published build (DELAFTALER_PRODUKTION=1)
lacks it."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import FIXTURE, REPO, make_project

from generator.publish.siteurl import production_build, site_url_problem
from generator.render.renderer import Renderer, address, address_text, page_linker

SITE = "https://delaftaler.example.dk/boligsocialt/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
VERSIONS = FIXTURE.parent / "versioner" / "agreements"


def _build(project, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600", **env}  # 2025-01-01: 2022-04-01 is current
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project.root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The versions fixture built as the published site: with its address, as production."""
    project = make_project(tmp_path_factory.mktemp("adresse") / "projekt", VERSIONS)
    result = _build(project, DELAFTALER_SITE_URL=SITE.rstrip("/"), DELAFTALER_PRODUKTION="1")
    assert result.returncode == 0, result.stderr
    assert "offentlige adresse" not in result.stderr
    return project


@pytest.fixture(scope="module")
def unaddressed(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("uden-adresse") / "projekt", VERSIONS)
    result = _build(project)
    assert result.returncode == 0, result.stderr
    project.log = result.stderr
    return project


def test_address_helper_is_absolute_with_a_site_url_and_relative_without():
    link = page_linker("lindely/tryghed/historik/index.md")
    assert address("lindely/tryghed/2020-01-01/index.md", link, SITE) == SITE + "lindely/tryghed/2020-01-01/"
    assert address("lindely/tryghed/2020-01-01/index.md", link, None) == "../2020-01-01/"
    assert address("index.md", link, "https://x.dk") == "https://x.dk/"
    assert address_text("lindely/tryghed/2020-01-01/index.md", SITE) == SITE + "lindely/tryghed/2020-01-01/"
    assert address_text("lindely/tryghed/2020-01-01/index.md", None) == "lindely/tryghed/2020-01-01/"


def test_templates_get_addresses_for_this_page_and_others():
    """`adresse()`/`adressetekst()` in a template: this page's address (for printouts), or another's."""
    template = "{{ adresse() }} | {{ adressetekst() }} | {{ adresse('lindely/index.md') }}"
    link = page_linker("lindely/tryghed/historik/index.md")
    with_url = Renderer(REPO / "templates", site_url=SITE).env.from_string(template).render(link=link)
    assert with_url == f"{SITE}lindely/tryghed/historik/ | {SITE}lindely/tryghed/historik/ | {SITE}lindely/"
    without = Renderer(REPO / "templates").env.from_string(template).render(link=link)
    assert without == "./ | lindely/tryghed/historik/ | ../../"


def test_site_url_rule():
    assert site_url_problem("https://delaftaler.dk/") is None
    assert "DELAFTALER_SITE_URL" in site_url_problem(None) and "mangler" in site_url_problem("")
    assert "ikke en fuld adresse" in site_url_problem("delaftaler.dk")
    assert production_build({"DELAFTALER_PRODUKTION": "1"}) and production_build({"DELAFTALER_PRODUKTION": "true"})
    assert not production_build({}) and not production_build({"DELAFTALER_PRODUKTION": "0"})
    assert not production_build({"CI": "true"})  # every CI job has CI=true, the test job too


def test_pages_have_absolute_canonical_links(published):
    assert f'<link rel="canonical" href="{SITE}lindely/tryghed/">' in published.page("lindely/tryghed")
    assert f'<link rel="canonical" href="{SITE}">' in published.page("")
    # the current version's dated address leads to the undated page, and says so absolutely
    stub = published.page("lindely/tryghed/2022-04-01")
    assert f'<link rel="canonical" href="{SITE}lindely/tryghed/">' in stub
    assert '<meta http-equiv="refresh" content="0; url=../">' in stub  # works on a preview too


def test_feed_links_are_absolute(published):
    feed = ET.parse(published.site / "feed.xml").getroot()
    links = {link.get("rel") + ":" + link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {f"alternate:{SITE}", f"self:{SITE}feed.xml"}
    entries = [e.find(f"{ATOM}link").get("href") for e in feed.findall(f"{ATOM}entry")]
    assert entries == [f"{SITE}lindely/tryghed/{day}/" for day in ("2026-01-01", "2022-04-01", "2020-01-01")]
    assert feed.get("{http://www.w3.org/XML/1998/namespace}base") is None  # no reader has to resolve


def test_sitemap_lists_every_public_page_and_no_redirect(published):
    sitemap = ET.parse(published.site / "sitemap.xml").getroot()
    listed = [url.findtext(f"{SITEMAP}loc") for url in sitemap.findall(f"{SITEMAP}url")]
    manifest = json.loads((published.site / "adresser.json").read_text(encoding="utf-8"))
    pages = [
        page.removeprefix("./") for page in manifest["sider"] if page.endswith("/")
    ]  # pages, not feed.xml or PDFs; "./": the landing page
    assert sorted(listed) == sorted(SITE + page for page in pages)
    assert len(listed) == len(set(listed)) > 10
    for old in manifest["omdirigeringer"]:  # the current version's dated address, old ids
        assert SITE + old not in listed
    for url in listed:  # every listed address is a real page, not a redirect
        html = (published.site / url.removeprefix(SITE) / "index.html").read_text(encoding="utf-8")
        assert 'http-equiv="refresh"' not in html, url
    assert {"lindely/tryghed/", "lindely/tryghed/historik/", "lindely/tryghed/2020-01-01/", "parter/", "om/"} <= set(
        pages
    )


def test_permanent_links_show_the_absolute_address(published):
    undated = published.page("lindely/tryghed")
    assert f'<a class="delelink" href="{SITE}lindely/tryghed/2022-04-01/">Link til præcis denne version</a>' in undated
    history = published.page("lindely/tryghed/historik")
    for day in ("2020-01-01", "2022-04-01", "2026-01-01"):
        address = f"{SITE}lindely/tryghed/{day}/"
        assert f'<strong>Fast link til denne version:</strong> <a href="{address}">{address}</a>' in history


def test_without_a_site_url_links_stay_relative_and_the_build_says_what_to_set(unaddressed):
    assert (
        "Bemærk: sitets offentlige adresse mangler — sæt miljøvariablen DELAFTALER_SITE_URL til adressen, "
        "sitet udgives på (fx DELAFTALER_SITE_URL=https://delaftaler.example.dk/)"
    ) in unaddressed.log
    assert "INFO" in unaddressed.log.split("sitets offentlige adresse")[0].splitlines()[-1]  # a note, not a warning
    history = unaddressed.page("lindely/tryghed/historik")
    assert (
        '<strong>Fast link til denne version:</strong> <a href="../2020-01-01/">lindely/tryghed/2020-01-01/</a>'
        in history
    )
    assert '<a class="delelink" href="2022-04-01/">Link til præcis denne version</a>' in unaddressed.page(
        "lindely/tryghed"
    )
    assert '<link rel="canonical"' not in unaddressed.page("lindely/tryghed")
    feed = ET.parse(unaddressed.site / "feed.xml").getroot()
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert "feed.xml" in hrefs and "lindely/tryghed/2020-01-01/" in hrefs
    assert not any(href.startswith("http") for href in hrefs)
    assert "<url>" not in (unaddressed.site / "sitemap.xml").read_text(encoding="utf-8")


def _hashes(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_a_published_build_without_a_site_url_fails_in_danish_and_keeps_the_site(project):
    assert project.build_here().returncode == 0
    before = _hashes(project.site)
    result = _build(project, DELAFTALER_PRODUKTION="1")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert (
        "mkdocs.yml: site_url: sitets offentlige adresse mangler — sæt miljøvariablen DELAFTALER_SITE_URL"
        in result.stderr
    )
    assert (
        "DELAFTALER_PRODUKTION er sat, så sitet skal udgives. Intet er bygget; det tidligere site er uændret."
        in result.stderr
    )
    assert _hashes(project.site) == before
    assert _build(project, DELAFTALER_PRODUKTION="1", DELAFTALER_SITE_URL=SITE).returncode == 0


def _validate(project, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate"],
        cwd=project.root,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_explains_a_missing_or_wrong_site_url(project):
    result = _validate(project)
    assert result.returncode == 0 and "adresse" not in result.stdout + result.stderr  # authors need not care
    result = _validate(project, DELAFTALER_PRODUKTION="1")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "1 fejl i 1 fil:\n  mkdocs.yml: site_url: sitets offentlige adresse mangler — "
        "sæt miljøvariablen DELAFTALER_SITE_URL"
    )
    assert "(DELAFTALER_PRODUKTION er sat, så sitet skal udgives)" in result.stderr
    result = _validate(project, DELAFTALER_SITE_URL="delaftaler.example.dk")
    assert result.returncode == 1
    assert "site_url: sitets offentlige adresse 'delaftaler.example.dk' er ikke en fuld adresse" in result.stderr
    assert _validate(project, DELAFTALER_PRODUKTION="1", DELAFTALER_SITE_URL=SITE).returncode == 0
    # listed with the agreements' own problems, in one run
    project.edit("solbakken/plan.yaml", "type: politi", "type: politistation")
    result = _validate(project, DELAFTALER_PRODUKTION="1")
    assert result.returncode == 1 and result.stderr.startswith("2 fejl i 2 filer:")
    assert re.search(r"agreements/solbakken/plan\.yaml:\d+: parter\[2\]\.type", result.stderr)
