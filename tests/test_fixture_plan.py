"""The fixture plan of issue 15, built for real: a 2014-style master plan (tests/fixtures/disposition,
'lindegaarden') in its own outline, with an organisation chart as an image, an annual cycle given
as a table, a budget with several columns whose total is not known yet, a 2013 activity with target
groups, measurement method and roles, and partner pages for the parties with duties."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import serve
from conftest import make_project

DISPOSITION = Path(__file__).parent / "fixtures" / "disposition" / "agreements"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("fixturplan") / "projekt", DISPOSITION)
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    assert not re.search(r"^WARNING\s+-", result.stderr, re.M), result.stderr  # --strict fails on them too
    return project


def _headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>|¶", "", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


def test_the_plan_page_follows_the_documents_outline(site):
    headings = _headings(site.page("lindegaarden"))
    assert headings[:10] == [
        "1. Indledning",
        "2. Resumé",
        "3. Vision",
        "4. Hovedformål",
        "5. Indsatsområder",
        "6. Organisering",
        "7. Sekretariatets lokaler",
        "8. Evaluering",
        "9. Budget",
        "Parter",
    ]


def test_the_organisation_chart_is_published_with_its_caption_and_alt_text(site):
    html = site.page("lindegaarden")
    figure = re.search(r"<figure[^>]*>.*?</figure>", html, re.S)
    assert figure, "no <figure> on the plan page"
    src = re.search(r'<img[^>]* src="([^"]+)"', figure[0])[1]
    assert 'alt="Organisationsdiagram: Styregruppen øverst' in figure[0]
    assert "<figcaption>Figur 1. Helhedsplanens organisering</figcaption>" in figure[0]
    published = (site.site / "lindegaarden" / src).resolve()
    assert published.read_bytes() == (DISPOSITION / "lindegaarden" / "organisering.png").read_bytes()


def test_the_annual_cycle_given_as_text_is_a_table(site):
    html = site.page("lindegaarden")
    cycle = html[html.index('id="aarshjul"') :]
    assert "<table" in cycle[:2000] and "Styregruppen godkender årsplanen" in cycle[:2000]


def test_the_budget_has_its_columns_and_an_unknown_total(site):
    html = site.page("lindegaarden")
    table = html[html.index("<caption>Budget 2014–2017 (mio. kr.)</caption>") :]
    table = table[: table.index("</table>")]
    assert [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table)] == [
        "Finansieringskilde",
        "2014",
        "2015",
        "2016",
        "2017",
    ]
    assert ">0,5<" in table and ">1,75<" in table
    total = table[table.index("<tfoot") :]
    assert total.count(">ukendt<") == 1 and ">1,7<" in total


def test_the_2013_activity_has_target_groups_method_and_roles(site):
    html = site.page("lindegaarden/boern-og-unge")
    assert "30 skolebørn fra 4. til 9. klasse" in html and "Fremmøde registreres hver gang." in html
    roles = html[html.index('id="lektiecafe--roller"') :]
    assert '<a href="../../parter/lindegaarden/sekretariatet/">Sekretariatet</a>' in roles
    assert '<a href="../../parter/lindegaarden/eksempel-kommune/">Skolen</a>' in roles
    assert "I høring – ikke godkendt" in html  # the draft plan's delaftale is in consultation


def test_every_party_with_a_duty_has_a_partner_page(site):
    municipality = site.page("parter/lindegaarden/eksempel-kommune")
    assert "Henviser elever, der har brug for lektiehjælp" in municipality
    housing = site.page("parter/lindegaarden/lindegaarden-bolig")
    assert "Godkende budgetter" in housing
    secretariat = site.page("parter/lindegaarden/sekretariatet")
    assert "Sekretariatet har den daglige ledelse af helhedsplanen." in secretariat
    assert "Holder lektiecaféen åben" in secretariat


@pytest.mark.parametrize("width", [320, 375])
def test_the_plan_page_fits_a_phone(site, chromium, width):
    page = chromium.new_page(viewport={"width": width, "height": 800})
    try:
        with serve(site.site) as base:
            page.goto(base + "lindegaarden/")
            image = page.locator("figure img").first
            box = image.bounding_box()
            assert box and box["width"] <= width and box["x"] >= 0
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        page.close()
