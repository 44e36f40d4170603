"""Real MkDocs builds of the fixture site in tmp_path, asserting on the HTML."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import REPO, free_port, make_project, search_documents

AGREEMENT = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"


def test_landing_page_lists_plans_in_danish(built_fixture):
    html = (built_fixture.site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="da"' in html
    assert '<a href="solbakken/">Solbakken Sammen</a>' in html
    assert '<a href="solbakken/tryghed-og-trivsel/">Tryghed og trivsel</a>' in html


def test_plan_page_links_its_agreements(built_fixture):
    html = built_fixture.page("solbakken")
    assert "<title>Solbakken Sammen - Boligsociale delaftaler</title>" in html
    assert '<a href="tryghed-og-trivsel/"><strong>Tryghed og trivsel</strong></a>' in html


def test_agreement_links_back_to_its_plan(built_fixture):
    html = built_fixture.page("solbakken/tryghed-og-trivsel")
    facts = html[html.index('<div class="aftalefakta">') :]
    facts = facts[: facts.index("</div>")]
    assert (
        '<strong>Boligsocial indsats:</strong> <a href="../">Solbakken Sammen</a> (<a href="../../kommuner/eksempel-kommune/">Eksempel Kommune</a>)'
        in facts
    )
    assert (
        '<strong>Indsatsområde:</strong> <a href="../../indsatsomraader/tryghed-og-trivsel/">Tryghed og trivsel</a>'
        in facts
    )
    assert ".md" not in facts  # a link MkDocs did not resolve would still point at a .md file


def test_indicator_table_cells(built_fixture):
    html = built_fixture.page("solbakken/tryghed-og-trivsel")
    table = html[html.index('<table class="indikatortabel" role="table">') : html.index("</table>")]
    headers = re.findall(r'<th scope="col" role="columnheader">(.*?)</th>', table)
    assert headers == [
        "Delmål",
        "Indikator",
        "Baseline boligområde/<wbr>målgruppe",
        "Evt. anden baseline",
        "Baseline år",
        "Datakilde",
    ]
    rows = re.findall(r"<tr class=\"indikator-(\w+)\" role=\"row\">(.*?)</tr>", table, re.S)
    assert [kind for kind, _ in rows] == ["effekt", "aktivitetsnaer"]
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rows[0][1], re.S)
    assert cells[:5] == [
        "Større oplevet tryghed",
        "Andel der føler sig trygge i boligområdet",
        "61 % føler sig trygge",
        "Landsgennemsnit 73 %",
        "2022",
    ]
    assert "<caption>Delmål og indikatorer for Tryghed og trivsel</caption>" in table


def test_roles_are_listed_per_party(built_fixture):
    html = built_fixture.page("solbakken/tryghed-og-trivsel")
    section = html[html.index('id="tryghedsvandringer--sekretariatet"') :]
    assert "Det Boligsociale Sekretariat" in section[:200]
    assert re.search(r"<ul>\s*<li>planlægger vandringerne</li>\s*<li>samler op på fundene</li>\s*</ul>", section)
    assert 'id="tryghedsvandringer--politiet"' in html
    assert "Ejendomskontorets ansvar er" in html


def test_activities_have_stable_anchors(built_fixture):
    html = built_fixture.page("solbakken/tryghed-og-trivsel")
    assert '<h3 id="tryghedsvandringer">Tryghedsvandringer' in html
    assert '<a href="#tryghedsvandringer">Tryghedsvandringer</a>' in html
    for anchor in ("formaal", "maalgrupper", "indhold", "roller"):
        assert f'id="tryghedsvandringer--{anchor}"' in html
    assert 'title="Direkte link til dette afsnit"' in html


def test_partner_page_lists_duties_linked_to_activity_anchors(built_fixture):
    html = built_fixture.page("parter/solbakken/sekretariatet")
    assert re.search(r'<h1 id="[^"]+">Det Boligsociale Sekretariat<', html)
    link = '<a href="../../../solbakken/tryghed-og-trivsel/#tryghedsvandringer">Tryghedsvandringer</a>'
    assert link in html
    duties = html[html.index(link) :]
    assert re.search(r"<ul>\s*<li>planlægger vandringerne</li>\s*<li>samler op på fundene</li>", duties)
    # the agreements it is party to, with the group it sits in
    assert (
        '<a href="../../../solbakken/tryghed-og-trivsel/">Tryghed og trivsel</a> '
        '<span class="status status-gaeldende">gældende</span> — part (Styregruppe)'
    ) in html
    index = built_fixture.page("parter")
    for name, url in (
        ("Det Boligsociale Sekretariat", "sekretariatet"),
        ("Eksempel Politi", "politiet"),
        ("SSP, Eksempel Kommune", "ek-ssp"),
    ):
        assert f'<a href="solbakken/{url}/">{name}</a>' in index


def test_contact_persons_are_shown_but_never_searchable(built_fixture):
    assert "SSP-konsulent Jens Jensen" in built_fixture.page("solbakken/tryghed-og-trivsel")
    assert "Jens Jensen" in built_fixture.page("parter/solbakken/ek-ssp")
    index = json.dumps(search_documents(built_fixture.site), ensure_ascii=False)
    assert "Jens Jensen" not in index
    assert "SSP, Eksempel Kommune" in index  # the rest of the text is searchable


def test_a_site_setting_hides_all_contact_persons(project):
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      templates_dir: templates\n", "      templates_dir: templates\n      show_contacts: false\n"
        ),
        encoding="utf-8",
    )
    assert project.build_here().returncode == 0
    for page in project.site.rglob("*.html"):
        assert "Jens Jensen" not in page.read_text(encoding="utf-8"), page


def test_overviews_by_focus_area_and_municipality(built_fixture):
    index = built_fixture.page("indsatsomraader")
    assert '<a href="tryghed-og-trivsel/">Tryghed og trivsel</a> — 1 delaftale' in index
    area = built_fixture.page("indsatsomraader/tryghed-og-trivsel")
    assert (
        '<th scope="row" role="rowheader"><a href="../../solbakken/tryghed-og-trivsel/">Solbakken Sammen</a></th>'
        in area
    )
    assert "<li>Større oplevet tryghed</li>" in area
    municipality = built_fixture.page("kommuner/eksempel-kommune")
    assert '<a href="../../solbakken/">Solbakken Sammen</a>' in municipality
    assert '<a href="../../parter/solbakken/politiet/">Eksempel Politi</a>' in municipality


def test_focus_area_names_are_normalised_through_the_vocabulary(project):
    second = project.agreements / "solbakken" / "tryghed-og-trivsel" / "2024-01-01.yaml"
    text = second.read_text(encoding="utf-8")
    project.write(
        "solbakken/tryghed/2024-01-01.yaml",
        text.replace("id: tryghed-og-trivsel", "id: tryghed").replace(
            "indsatsomraade: Tryghed og trivsel", "indsatsomraade: Tryghed & Trivsel"
        ),
    )
    project.write(
        "indsatsomraader.yaml", "indsatsomraader:\n  - id: tryghed-og-trivsel\n    navn: Tryghed og trivsel\n"
    )
    assert project.build_here().returncode == 0
    area = project.page("indsatsomraader/tryghed-og-trivsel")
    assert area.count('<th scope="row" role="rowheader"><a href=') == 2  # both spellings, one focus area
    project.edit("solbakken/tryghed/2024-01-01.yaml", "Tryghed & Trivsel", "Trivsel og tryghed")
    result = project.validate()
    assert result.returncode == 1
    assert (
        "agreements/solbakken/tryghed/2024-01-01.yaml:5: indsatsomraade: indsatsområdet 'Trivsel og tryghed' "
        "står ikke i agreements/indsatsomraader.yaml"
    ) in result.stderr


def test_cross_references_link_when_published_and_say_so_when_not(project):
    project.write(
        "indsatsomraader.yaml",
        "indsatsomraader:\n  - id: tryghed-og-trivsel\n    navn: Tryghed og trivsel\n"
        "  - id: uddannelse-og-livschancer\n    navn: Uddannelse og livschancer\n",
    )
    project.edit(
        AGREEMENT,
        "formaal: At finde og fjerne utrygge steder.",
        "formaal: 'Som [aktiviteten Tryghedsvandringer](aftale:tryghed-og-trivsel#tryghedsvandringer) og "
        "[Mestring og fællesskab](aftale:uddannelse-og-livschancer#mestring).'",
    )
    project.edit(
        AGREEMENT,
        "        datakilde: Egen registrering",
        "        datakilde: '[Vandringerne](aftale:tryghed-og-trivsel#tryghedsvandringer)'",
    )
    assert project.build_here().returncode == 0
    html = project.page("solbakken/tryghed-og-trivsel")
    assert '<a href="./#tryghedsvandringer">aktiviteten Tryghedsvandringer</a>' in html
    assert "Mestring og fællesskab <em>(delaftalen er ikke offentliggjort på sitet)</em>" in html
    assert (
        '<td role="cell" data-label="Datakilde"><a href="./#tryghedsvandringer">Vandringerne</a></td>' in html
    )  # in a table cell (raw HTML)
    assert 'href="aftale:' not in html and "](aftale:" not in html


def test_search_is_danish_and_filters_by_plan_focus_area_and_municipality(built_fixture):
    entry = json.loads((built_fixture.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["da"]  # Danish stemming
    documents = search_documents(built_fixture.site)
    agreement = documents["/solbakken/tryghed-og-trivsel/"]
    assert agreement["meta"]["title"] == "Tryghed og trivsel — Solbakken Sammen"
    assert agreement["filters"] == {
        "Helhedsplan": ["Solbakken Sammen"],
        "Indsatsområde": ["Tryghed og trivsel"],
        "Kommune": ["Eksempel Kommune"],
        "Sidetype": ["Delaftale"],
    }
    assert "Tryghedsvandringer" in agreement["content"]
    assert "¶" not in agreement["content"]  # heading permalinks are not text
    assert documents["/solbakken/"]["filters"]["Helhedsplan"] == ["Solbakken Sammen"]
    assert "/soeg/" not in documents and not any("historik" in url for url in documents)


def test_no_resource_is_loaded_from_another_host(built_fixture):
    for page in built_fixture.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        loads = re.findall(r"<(?:script|img|iframe|link)[^>]+(?:src|href)=\"((?:https?:)?//[^\"]+)", html)
        assert loads == [], f"{page} loads {loads}"


def test_hostile_html_in_agreement_text_is_removed(project):
    payloads = (
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> '
        '<a href="javascript:alert(3)">klik</a> <iframe src="https://example.org"></iframe> '
        '<p onmouseover="alert(4)">tekst</p> [link](javascript:alert(5))'
    )
    project.edit(AGREEMENT, "formaal: At finde og fjerne utrygge steder.", f"formaal: '{payloads}'")
    project.edit(
        AGREEMENT, "        datakilde: Egen registrering", '        datakilde: "<script>alert(6)</script>Egen"'
    )
    project.edit("solbakken/plan.yaml", "navn: Solbakken Sammen", 'navn: "Solbakken <script>alert(7)</script>"')
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    for page in project.site.rglob("*.html"):  # every page: nav, titles and meta tags too
        html = page.read_text(encoding="utf-8")
        for bad in ("<script>alert", "onerror=", "onmouseover=", "<iframe"):
            assert bad not in html, f"{bad} survived in {page}"
        # Typed as text the words may stay; as a link target they must not.
        assert not re.search(r'(?:href|src)\s*=\s*["\']?\s*javascript:', html, re.I), page
    html = project.page("solbakken/tryghed-og-trivsel")
    assert "tekst" in html and "klik" in html  # harmless text stays
    assert "Solbakken &lt;script&gt;alert(7)&lt;/script&gt;" in html  # shown as text, not run


def _hashes(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_failed_build_reports_in_danish_and_leaves_the_old_site(project):
    assert project.build_here().returncode == 0
    before = _hashes(project.site)
    project.edit(AGREEMENT, "baseline_aar: 2022", "baseline_aar: 2O22")
    project.edit("solbakken/plan.yaml", "type: politi", "type: politistation")
    result = project.build()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "2 fejl i 2 filer:" in result.stderr
    assert (
        f"agreements/{AGREEMENT}:25: delmaal[0].indikatorer[0].baseline_aar: '2O22' er ikke et årstal" in result.stderr
    )
    assert "Intet er bygget; det tidligere site er uændret." in result.stderr
    assert _hashes(project.site) == before


def test_build_failing_late_in_strict_mode_restores_the_old_site(project):
    assert project.build_here().returncode == 0
    before = _hashes(project.site)
    om = project.root / "docs" / "om.md"
    om.write_text(om.read_text(encoding="utf-8") + "\n[brudt link](findes-ikke.md)\n", encoding="utf-8")
    result = project.build()
    assert result.returncode != 0
    assert "findes-ikke.md" in result.stderr  # MkDocs names the broken link ...
    assert "Bygningen fejlede; det tidligere site er uændret." in result.stderr  # ... and we say the site is intact
    assert _hashes(project.site) == before
    assert not (project.root / "site.forrige").exists()


def test_successful_build_leaves_no_backup_behind(project):
    assert project.build_here().returncode == 0
    assert project.build_here().returncode == 0
    assert (project.site / "index.html").is_file()
    assert not (project.root / "site.forrige").exists()


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 60) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if text in _fetch(url):
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_an_agreement_or_a_template_changes(project):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/solbakken/tryghed-og-trivsel/"
    try:
        assert _wait_for(url, "Større oplevet tryghed"), "serve did not come up"
        project.edit(AGREEMENT, "Større oplevet tryghed", "Markant større oplevet tryghed")
        assert _wait_for(url, "Markant større oplevet tryghed"), "YAML edit was not picked up"
        template = project.root / "templates" / "komponenter" / "hoved.md.j2"
        template.write_text(template.read_text(encoding="utf-8").replace("Gælder:", "Gyldig:"), encoding="utf-8")
        assert _wait_for(url, "Gyldig:</strong>"), "template edit was not picked up"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow  # two builds as commands
def test_two_builds_with_the_same_source_date_epoch_are_identical(project, tmp_path):
    import os

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    outputs = []
    for name in ("a", "b"):
        target = tmp_path / name
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(target)],
            cwd=project.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(_hashes(target))
        time.sleep(1.1)  # a clock leaking into the output would now differ
    # Pagefind writes its filter and metadata indexes in hash-map order (upstream: Pagefind
    # issue #638; its page fragments and word index are stable): compare what they hold.
    unstable = [
        {
            p
            for p in o
            if p.parts[0] == "pagefind"
            and (p.parts[1] == "filter" or p.suffix == ".pf_meta" or p.name == "pagefind-entry.json")
        }
        for o in outputs
    ]
    assert len(unstable[0]) == len(unstable[1]) >= 2
    stable = [{p: h for p, h in o.items() if p not in u} for o, u in zip(outputs, unstable)]
    assert stable[0] == stable[1]
    assert len(stable[0]) > 20 and any(p.parts[:2] == ("pagefind", "fragment") for p in stable[0])


def test_preview_builds_one_plan_of_many(tmp_path):
    import os

    project = make_project(tmp_path / "projekt", REPO / "agreements")
    env = {**os.environ, "DELAFTALER_PLAN": "partnerskabet"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Forhåndsvisning: kun planen 'partnerskabet' bygges" in result.stderr
    assert "Urbanplanen" in project.page("partnerskabet/tryghed-og-trivsel")
    assert not (project.site / "brondby-strand").exists() and not (project.site / "parter" / "brondby-strand").exists()
    landing = project.page("")
    assert '<a href="partnerskabet/">Partnerskabet</a>' in landing and "brondby-strand/" not in landing

    env["DELAFTALER_PLAN"] = "partnerskab"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "planen 'partnerskab' findes ikke — mente du partnerskabet?" in result.stderr
