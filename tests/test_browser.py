"""The bundled site in a real browser: navigation, Danish search, phone width, accessibility,
print, and no request to any other host."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

import pytest
from browser import GuardedPage, axe_violations, serve
from conftest import REPO
from playwright.sync_api import expect
from pypdf import PdfReader

AGREEMENT = "brondby-strand/sammenhaengskraft-og-medborgerskab/"
PAGE_TYPES = {
    "forside": "",
    "plan": "brondby-strand/",
    "delaftale": AGREEMENT,
    "om-sitet": "om/",
    "tilgaengelighed": "tilgaengelighed/",
    "ikke-fundet": "404.html",
    "delaftale-2017": "partnerskabet/tryghed-og-trivsel/",
    "plan-2013": "rum-for-liv/",
    "indsatsomraade-2013": "rum-for-liv/boern-unge-og-familier/",
    "parter": "parter/",
    "part": "parter/brondby-strand/ssp/",
    "part-2013": "parter/rum-for-liv/lejerbo-koebenhavn/",  # duties from the plan's own sections
    "skrivevejledning": "skrivevejledning/",
    "indsatsomraade": "indsatsomraader/sammenhaengskraft-og-medborgerskab/",
    "indsatsomraader": "indsatsomraader/",
    "kommune": "kommuner/koebenhavns-kommune/",
    "kommuner": "kommuner/",
    "soeg-tom": "soeg/",
    # the longest bundled pages: seed 003's plan and its indsatsområder
    "indsatsomraade-2013-uddannelse": "rum-for-liv/uddannelse-beskaeftigelse-og-erhverv/",
    "indsatsomraade-2013-beboere": "rum-for-liv/beboernetvaerk-inddragelse-og-demokrati/",
    "indsatsomraade-2013-image": "rum-for-liv/image-og-kommunikation/",
}
# Pages only agreements with several versions have (the bundled ones have one each).
VERSION_PAGE_TYPES = {
    "version": "lindely/tryghed/2020-01-01/",
    "historik": "lindely/tryghed/historik/",
    "soeg": "soeg/?q=tryghed",
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    site = tmp_path_factory.mktemp("browser") / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    with serve(site) as url:
        yield url


def _address(kind: str, site_url: str, versions_url: str) -> str:
    return site_url + PAGE_TYPES[kind] if kind in PAGE_TYPES else versions_url + VERSION_PAGE_TYPES[kind]


@pytest.fixture
def phone(chromium):
    guarded = GuardedPage(chromium, width=375)
    yield guarded
    guarded.close()


def test_landing_page_lists_the_plans_by_municipality(page, site_url):
    page.page.goto(site_url)
    municipalities = page.page.locator("article h3").all_inner_texts()
    assert [m.rstrip("¶").strip() for m in municipalities] == [
        "Brøndby Kommune",
        "Gladsaxe Kommune",
        "Københavns Kommune",
        "Slagelse Kommune",
    ]
    plans = page.page.locator("article li > strong > a").all_inner_texts()
    assert plans == [
        "Brøndby Strand Projektet",
        "Den boligsociale helhedsplan i Værebros Park",
        "Partnerskabet",
        "Rum for Liv",
        "En Fælles Indsats",
    ]


def test_the_navigation_stays_short(page, site_url):
    page.page.goto(site_url + AGREEMENT)
    entries = page.page.locator(".md-sidebar--primary .md-nav__link").all_inner_texts()
    assert [e.strip() for e in entries if e.strip()][:4] == ["Forside", "Indsatsområder", "Kommuner", "Parter"]
    assert not any("Sammenhængskraft" in e for e in entries)  # agreements are reached from their plan


def test_navigating_to_an_agreement_shows_its_indicator_table(page, site_url):
    page.page.goto(site_url)
    page.page.get_by_role("link", name="Brøndby Strand Projektet").first.click()
    page.page.get_by_role("link", name="Sammenhængskraft og Medborgerskab").last.click()
    expect(page.page).to_have_url(site_url + AGREEMENT)
    table = page.page.get_by_role("table", name="Delmål og indikatorer for Sammenhængskraft og Medborgerskab")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Større oplevet tryghed")).to_be_visible()


def _search(page, url: str, query: str) -> list[str]:
    """Type into the header's search field, as a reader does; results come on the search page."""
    page.goto(url)
    page.get_by_role("searchbox", name="Søg i delaftalerne").fill(query)
    page.keyboard.press("Enter")
    page.wait_for_url("**/soeg/?q=*")
    expect(page.get_by_role("status")).to_contain_text("for »" + query + "«", timeout=15_000)
    return [a.get_attribute("href") for a in page.locator(".soegeresultat__titel").all()]


def test_danish_search_finds_inflected_forms(page, site_url):
    # The text has only the definite form "genhusningsafdelingen", and only in Værebros Park's
    # agreement: the base form must find it, and nothing else.
    hrefs = _search(page.page, site_url, "genhusningsafdeling")
    assert hrefs and all("vaerebros-park/sammenhaengskraft-og-medborgerskab/" in h for h in hrefs), hrefs
    # results name the plan and show the matching text
    title = page.page.locator(".soegeresultat__titel").first.inner_text()
    assert title == "Sammenhængskraft og medborgerskab — Den boligsociale helhedsplan i Værebros Park"
    excerpt = page.page.locator(".soegeresultat mark").first.inner_text()
    assert excerpt.lower().startswith("genhusningsafdeling")
    # the issue's own example: "tryghed" finds the agreement that writes "trygheden" (among all
    # results, not only the first page the interface shows)
    _search(page.page, site_url, "tryghed")
    urls = page.page.evaluate("""async () => {
        const pagefind = await import(new URL("../pagefind/pagefind.js", document.baseURI).href);
        const search = await pagefind.search("tryghed");
        return Promise.all(search.results.map(async r => (await r.data()).url));
    }""")
    assert "/" + AGREEMENT in urls, urls
    # the longer inflected form Material's search could not match
    hrefs = _search(page.page, site_url, "beboervejledningens")
    assert hrefs, "an inflected query finds nothing"


def _count(page) -> int:
    return int(re.match(r"(\d+) resultat", page.get_by_role("status").inner_text())[1])


def test_search_results_narrow_to_a_plan(page, site_url):
    _search(page.page, site_url, "tryghed")
    everywhere = _count(page.page)
    page.page.get_by_text("Afgræns til en helhedsplan").click()
    page.page.get_by_label("Helhedsplan").select_option("Partnerskabet")
    expect(page.page).to_have_url(re.compile(r"Helhedsplan=Partnerskabet"))
    expect(page.page.get_by_role("status")).to_have_text(re.compile(rf"^(?!{everywhere} )\d+ resultat"))
    assert 0 < _count(page.page) < everywhere
    hrefs = [a.get_attribute("href") for a in page.page.locator(".soegeresultat__titel").all()]
    assert hrefs and all("/partnerskabet/" in h for h in hrefs), hrefs
    # a filter alone lists the plan's pages
    page.page.get_by_label("Søgeord").fill("")
    expect(page.page.get_by_role("status")).to_have_text(re.compile(r"^\d+ resultat(er)?$"))
    assert page.page.locator(".soegeresultat__titel").count() >= 1


# Every table cell with text, where it lies: [text, left, right] (cells hidden from view, such as
# a reflowed table's header row kept for screen readers, have no box of their own to read).
CELLS_OUTSIDE = """width => [...document.querySelectorAll('article td, article th')].filter(cell => {
    const box = cell.getBoundingClientRect();
    const hidden = cell.closest('thead') && cell.closest('thead').getBoundingClientRect().width <= 1;
    return !hidden && box.width > 1 && cell.textContent.trim() && (box.left < -0.5 || box.right > width + 0.5);
}).map(cell => cell.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("kind", [*PAGE_TYPES, *VERSION_PAGE_TYPES])
def test_phone_width_has_no_sideways_scrolling(chromium, site_url, versions_url, kind, width):
    phone = GuardedPage(chromium, width=width)
    phone.page.goto(_address(kind, site_url, versions_url))
    if kind.startswith("soeg"):
        phone.page.wait_for_load_state("networkidle")
    widths = phone.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"page body is {widths[0]} px wide at {widths[1]} px"
    assert phone.page.evaluate(CELLS_OUTSIDE, widths[1]) == []
    phone.close()


def test_tables_reflow_on_a_phone_and_keep_their_semantics(chromium, site_url):
    for width, layout in ((375, "block"), (1280, "table")):
        guarded = GuardedPage(chromium, width=width)
        guarded.page.goto(site_url + AGREEMENT)
        table = guarded.page.get_by_role("table", name="Delmål og indikatorer for Sammenhængskraft og Medborgerskab")
        assert table.evaluate("t => getComputedStyle(t).display") == layout
        # what a screen reader is given (chromium's accessibility tree): still a table of cells under headers
        tree = guarded.context.new_cdp_session(guarded.page).send("Accessibility.getFullAXTree")["nodes"]
        roles = [n["role"]["value"] for n in tree if "role" in n]
        assert roles.count("table") >= 1 and roles.count("columnheader") >= 6, (width, roles)
        assert roles.count("rowheader") >= 3 and roles.count("cell") >= 10, (width, roles)
        if width == 375:  # each cell says which column it is in, the row is one block
            cell = table.locator("td[data-label='Datakilde']").first
            label = cell.evaluate("c => getComputedStyle(c, '::before').content")
            assert "Datakilde" in label
            row = table.locator("tbody tr").first.bounding_box()
            assert row["width"] <= 375
        guarded.close()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("kind", PAGE_TYPES)  # version pages: test_version_pages_have_no_wcag_violations
def test_no_wcag_21_aa_violations(chromium, site_url, kind, width):
    guarded = GuardedPage(chromium, width=width)
    guarded.page.goto(site_url + PAGE_TYPES[kind])
    if kind.startswith("soeg"):
        guarded.page.wait_for_load_state("networkidle")
    assert guarded.page.locator("html").get_attribute("lang") == "da"
    assert axe_violations(guarded.page) == []
    guarded.close()


def test_accessibility_statement_is_linked_from_the_footer(page, site_url):
    page.page.goto(site_url + AGREEMENT)
    page.page.locator("footer").get_by_role("link", name="Tilgængelighedserklæring").click()
    assert page.page.url == site_url + "tilgaengelighed/"


def test_printing_an_agreement_gives_the_whole_agreement(page, site_url):
    page.page.goto(site_url + "en-faelles-indsats/sammenhaengskraft-og-medborgerskab/")
    page.page.emulate_media(media="print")
    pdf = page.page.pdf(format="A4")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    words = " ".join(text.split())
    # every column of the indicator table, and the last words of the agreement
    for expected in (
        "Datakilde",
        "Egen registrering af deltagere i forløb",
        "Opgøres ikke",
        "Beboervejledning",
        "lokale og nationale NGO'er",
    ):
        assert expected in words, expected
    assert "http://børnedemokrati.dk/" in words  # external link targets are printed
    assert "Søg" not in words and "Indholdsfortegnelse" not in words  # no navigation or search


@pytest.fixture(scope="module")
def versions_url(tmp_path_factory):
    from conftest import FIXTURE, make_project

    project = make_project(
        tmp_path_factory.mktemp("versioner-browser") / "projekt", FIXTURE.parent / "versioner" / "agreements"
    )
    result = project.build_here(SOURCE_DATE_EPOCH="1735689600")
    assert result.returncode == 0, result.stderr
    with serve(project.site) as url:
        yield url


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize(
    "path", ["lindely/tryghed/historik/", "lindely/tryghed/2020-01-01/", "lindely/tryghed/2026-01-01/"]
)
def test_version_pages_have_no_wcag_violations(chromium, versions_url, path, width):
    guarded = GuardedPage(chromium, width=width)
    guarded.page.goto(versions_url + path)
    assert guarded.page.locator(".versionsstatus, .ordforskel").count() > 0
    assert axe_violations(guarded.page) == []
    guarded.close()


def test_the_contents_of_an_agreement_are_at_the_top_on_a_phone(chromium, site_url):
    phone = GuardedPage(chromium, width=375)
    phone.page.goto(site_url + "rum-for-liv/boern-unge-og-familier/")
    contents = phone.page.locator("details.sideindhold")
    expect(contents).to_be_visible()
    assert contents.bounding_box()["y"] < 900 * 1.5  # near the top, not after the agreement
    contents.get_by_text("Indhold").click()
    link = contents.get_by_role("link", name="Aktiviteter", exact=True)
    link.click()
    expect(phone.page).to_have_url(re.compile(r"#aktiviteter$"))
    assert phone.page.locator("#aktiviteter").evaluate("h => h.getBoundingClientRect().top") < 200
    phone.close()
    # wide screens have the theme's contents sidebar instead
    wide = GuardedPage(chromium, width=1280)
    wide.page.goto(site_url + "rum-for-liv/boern-unge-og-familier/")
    expect(wide.page.locator("details.sideindhold")).to_be_hidden()
    wide.close()


def test_registered_parties_link_to_their_partner_pages(page, site_url):
    page.page.goto(site_url + AGREEMENT)
    # the parties list and the role headings
    parties = page.page.locator("#parter ~ ul").first
    expect(
        parties.get_by_role("link", name="Børne-, Kultur- og Idrætsforvaltningen, Brøndby Kommune")
    ).to_have_attribute("href", "../../parter/brondby-strand/boerne-kultur-og-idraetsforvaltningen/")
    heading = page.page.locator("h5#tryghedsindsats--ssp, h5[id$='--ssp']").first
    heading.get_by_role("link").first.click()
    expect(page.page).to_have_url(site_url + "parter/brondby-strand/ssp/")
    # the plan page's list of parties
    page.page.goto(site_url + "brondby-strand/")
    page.page.locator("#parter + ul").get_by_role("link", name="SSP", exact=True).click()
    expect(page.page).to_have_url(site_url + "parter/brondby-strand/ssp/")
    # the 2017 template's own list, with the contact person before the party
    page.page.goto(site_url + "partnerskabet/tryghed-og-trivsel/")
    assert page.page.locator("#parter ~ ul a[href*='/parter/partnerskabet/']").count() >= 3


def _search_api(page, query: str) -> list[str]:
    return page.evaluate(
        """async (query) => {
        const pagefind = await import(new URL("../pagefind/pagefind.js", document.baseURI).href);
        const search = await pagefind.search(query);
        return Promise.all(search.results.map(async r => (await r.data()).url));
    }""",
        query,
    )


def test_a_partner_finds_its_own_page_first(page, site_url):
    for query, partner in (
        ("politi", "/parter/en-faelles-indsats/sydsjaellands-og-lolland-falsters-politi/"),
        ("SSP", "/parter/brondby-strand/ssp/"),
    ):
        hrefs = _search(page.page, site_url, query)
        assert hrefs[0].endswith(partner), (query, hrefs)
        expect(page.page.locator(".soegeresultat").first).to_contain_text("Part:")
    # contact persons stay out of the index, partner pages included
    page.page.goto(site_url + "soeg/")
    assert not any("/parter/" in url for url in _search_api(page.page, "Jens Ansbjerg"))
    # a filter narrows results to partners
    page.page.goto(site_url + "soeg/?Sidetype=Part")
    expect(page.page.get_by_role("status")).to_have_text(re.compile(r"^\d+ resultat"))
    hrefs = [a.get_attribute("href") for a in page.page.locator(".soegeresultat__titel").all()]
    assert hrefs and all("/parter/" in h for h in hrefs), hrefs


def test_more_results_button_only_when_there_are_more(page, site_url):
    page.page.goto(site_url + "soeg/?q=genhusningsafdeling")  # one agreement says it
    expect(page.page.get_by_role("status")).to_have_text(re.compile(r"^\d+ resultat"))
    assert _count(page.page) <= 3
    expect(page.page.get_by_role("button", name="Vis flere resultater")).to_be_hidden()
    _search(page.page, site_url, "tryghed")
    assert _count(page.page) > 3
    more = page.page.get_by_role("button", name="Vis flere resultater")
    expect(more).to_be_visible()
    while more.is_visible():
        more.click()
        page.page.wait_for_timeout(200)
    expect(page.page.locator(".soegeresultat__titel")).to_have_count(_count(page.page))


def test_printout_carries_address_status_and_date(page, site_url):
    page.page.goto(site_url + AGREEMENT)
    page.page.emulate_media(media="print")
    words = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(page.page.pdf(format="A4"))).pages).split()
    )
    assert "Adresse: " + site_url + AGREEMENT in words
    assert "Status: udløbet" in words
    today = page.page.evaluate("""() => { const d = new Date(); return d.getDate() + '. ' +
        ['januar','februar','marts','april','maj','juni','juli','august','september','oktober','november',
         'december'][d.getMonth()] + ' ' + d.getFullYear(); }""")
    assert "Udskrevet " + today in words
    assert "Kopiér link" not in words and "Indhold" not in words.split("Status: udløbet")[1][:200]


def test_printout_without_javascript_still_has_the_address(chromium, site_url):
    guarded = GuardedPage(chromium, java_script_enabled=False)
    guarded.page.goto(site_url + AGREEMENT)
    guarded.page.emulate_media(media="print")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(guarded.page.pdf(format="A4"))).pages)
    assert "Adresse: /" + AGREEMENT in " ".join(text.split())  # the path, without a site URL set
    guarded.close()
