"""The bundled real agreements: they validate, build strictly, and publish their source text.

The seed texts (the agreements as extracted from Word/PDF) are test data in tests/data/seeds/;
seed_coverage.py measures how much of them the built site shows.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO
from seed_coverage import coverage, page_grams, site_grams

from generator.corpus import load_corpus
from generator.render.partners import plan_sections

#: seed file prefix -> the pages (site paths) it was transcribed into
TRANSCRIBED = {
    "000_": ["brondby-strand/sammenhaengskraft-og-medborgerskab"],
    "001_": ["vaerebros-park/sammenhaengskraft-og-medborgerskab"],
    "002_": ["en-faelles-indsats/sammenhaengskraft-og-medborgerskab"],
    "003_": [
        "rum-for-liv",
        "rum-for-liv/boern-unge-og-familier",
        "rum-for-liv/uddannelse-beskaeftigelse-og-erhverv",
        "rum-for-liv/beboernetvaerk-inddragelse-og-demokrati",
        "rum-for-liv/image-og-kommunikation",
    ],
    "004_": ["partnerskabet/tryghed-og-trivsel"],
}
PAGES = [page for pages in TRANSCRIBED.values() for page in pages]
SEEDS = Path(__file__).parent / "data" / "seeds"
MIN_COVERAGE = 0.98


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("bundled") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return site


def test_bundled_agreements_are_valid():
    corpus = load_corpus(REPO / "agreements", root=REPO)
    published = {p.url.rstrip("/") for p in corpus.plans} | {a.url.rstrip("/") for a in corpus.agreements}
    assert set(PAGES) <= published


@pytest.mark.parametrize(
    "page, component",
    [
        ("brondby-strand/sammenhaengskraft-og-medborgerskab", '<table class="indikatortabel" role="table">'),
        ("partnerskabet/tryghed-og-trivsel", '<table class="indikatortabel succeskriterier" role="table">'),
        ("partnerskabet/tryghed-og-trivsel", '<table class="indikatortabel summetabel" role="table">'),
        ("rum-for-liv/boern-unge-og-familier", '<table class="indikatortabel faktaboks" role="table">'),
        ("rum-for-liv", '<table class="indikatortabel summetabel" role="table">'),
    ],
)
def test_each_generation_renders_its_structured_parts(bundled_site, page, component):
    assert component in (bundled_site / page / "index.html").read_text(encoding="utf-8")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style", "svg")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style", "svg")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def test_no_markup_artefacts_reach_the_reader(bundled_site):
    """Source artefacts (<ul style=…>, •, glued **) and unconverted Markdown must not show."""
    for page in PAGES:
        parser = _VisibleText()
        parser.feed((bundled_site / page / "index.html").read_text(encoding="utf-8"))
        text = "".join(parser.parts)
        for pattern in (r"\*\*", "•", r"<\w+", r"^\s*[-*] ", r"\{:", r"\[\^", r"tilføj skemaer", r"Her anføres"):
            found = re.search(pattern, text, re.M)
            assert found is None, f"{page}: {pattern!r} near {text[max(0, found.start() - 60) : found.end() + 40]!r}"


@pytest.fixture(scope="module")
def published_grams(bundled_site):
    return site_grams(bundled_site)


def test_seed_text_is_published(published_grams):
    seeds = sorted(SEEDS.glob("*.txt"))
    assert [seed.name[:4] for seed in seeds] == list(TRANSCRIBED)
    shares, lost = {}, {}
    for seed in seeds:
        shares[seed.name], lost[seed.name] = coverage(seed.read_text(encoding="utf-8"), published_grams)
    low = {name: f"{share:.3f}" for name, share in shares.items() if share < MIN_COVERAGE}
    assert not low, f"seed text missing from the site: {low}\n" + "\n".join(
        f"{name}: {segment[:160]}" for name in low for segment in lost[name][:10]
    )


@pytest.mark.parametrize("activity", ["ejendomsfunktionaer-plus", "tryghedsindsats", "styrkelse-af-naboskab"])
def test_the_seed_check_fails_when_one_activity_is_missing(bundled_site, activity):
    """The fidelity minimum means something: a page that lost any one activity falls below it."""
    page = bundled_site / TRANSCRIBED["000_"][0] / "index.html"
    html = page.read_text(encoding="utf-8")
    cut = re.sub(rf'<h3 id="{activity}".*?(?=<h[23][ >]|</article>)', "", html, count=1, flags=re.S)
    assert len(cut) < len(html) - 2000, f"activity {activity} not found"
    others = set().union(
        *(page_grams(p.read_text(encoding="utf-8")) for p in bundled_site.rglob("*.html") if p != page)
    )
    seed = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    assert coverage(seed, others | page_grams(html))[0] >= MIN_COVERAGE
    assert coverage(seed, others | page_grams(cut))[0] < MIN_COVERAGE


def test_every_table_has_header_cells_and_a_caption(bundled_site):
    for page in bundled_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for table in re.findall(r"<table\b.*?</table>", html, re.S):
            assert "<caption>" in table and re.search(r'<th scope="(col|row)"', table), f"{page}: {table[:200]}"


def test_every_internal_link_resolves(bundled_site):
    """Raw-HTML links (tables, overviews) are not checked by MkDocs: check every page's links."""
    for page in bundled_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for href in re.findall(r'href="([^"#?]+)(?:#[^"]*)?"', html):
            if re.match(r"^(?:[a-z]+:|/)", href) or href.endswith(
                (".css", ".js", ".xml", ".json", ".png", ".svg", ".ico")
            ):
                continue
            target = (page.parent / href).resolve()
            assert (target / "index.html").is_file() or target.is_file(), f"{page}: broken link {href}"


def test_every_registered_party_with_a_role_has_a_partner_page(bundled_site):
    corpus = load_corpus(REPO / "agreements", root=REPO)
    holders = {
        (a.plan.plan.id, role.part)
        for a in corpus.agreements
        for act in a.current.model.aktiviteter
        for group in getattr(act, "alle_rollegrupper", [])
        for role in group.roller
        if role.part
    }
    holders |= {
        (entry.plan.id, role.part)
        for entry in corpus.plans
        for *_, roles in plan_sections(entry)
        for role in roles
        if role.part
    }  # a 2013 plan's organisation and areas of responsibility
    assert len(holders) > 20 and {plan for plan, _ in holders} >= {"rum-for-liv"}
    for plan, part in holders:
        assert (bundled_site / "parter" / plan / part / "index.html").is_file(), (plan, part)


def test_broendby_ssp_lists_its_duties_with_links_to_the_activities(bundled_site):
    html = (bundled_site / "parter" / "brondby-strand" / "ssp" / "index.html").read_text(encoding="utf-8")
    base = "../../../brondby-strand/sammenhaengskraft-og-medborgerskab/"
    assert f'<a href="{base}#ejendomsfunktionaer-plus">Ejendomsfunktionær+</a>' in html
    assert (
        f'<a href="{base}#tryghedsindsats">Tryghedsindsats (der blandt andet indeholder den kriminalitetsforbyggende indsats)</a>'
        in html
    )
    assert "at samarbejde omkring grupperne med uhensigtsmæssig adfærd" in html
    agreement = (bundled_site / "brondby-strand" / "sammenhaengskraft-og-medborgerskab" / "index.html").read_text(
        encoding="utf-8"
    )
    assert 'id="ejendomsfunktionaer-plus"' in agreement and 'id="tryghedsindsats"' in agreement


def test_every_rum_for_liv_party_with_a_duty_has_a_page_listing_it(bundled_site):
    """The 2013 plan: duties from its activities' role sections and from the plan's own sections."""
    partners = bundled_site / "parter" / "rum-for-liv"
    pages = {p.parent.name for p in partners.glob("*/index.html")}
    assert pages >= {
        "lejerbo-koebenhavn",
        "koebenhavns-kommune",
        "sekretariatet",
        "afdelingsbestyrelserne",
        "red-barnet",
        "dansk-flygtningehjaelp",
        "borgerretshjaelpen",
    }
    red_barnet = (partners / "red-barnet" / "index.html").read_text(encoding="utf-8")
    assert (
        '<a href="../../../rum-for-liv/boern-unge-og-familier/#foraeldre-og-laering">Forældre og læring</a>'
        in red_barnet
    )
    assert "Aktiviteten forankres i Red Barnets Lokalafdeling, København City" in red_barnet
    lejerbo = (partners / "lejerbo-koebenhavn" / "index.html").read_text(encoding="utf-8")
    assert 'id="opgaver-i-helhedsplanen"' in lejerbo
    assert '<a href="../../../rum-for-liv/#organisering--lejerbo-koebenhavn">Organisering: Styregruppen</a>' in lejerbo
    assert "Godkende budgetter og tilse at budgetterne holdes" in lejerbo
    plan = (bundled_site / "rum-for-liv" / "index.html").read_text(encoding="utf-8")
    assert 'id="organisering--lejerbo-koebenhavn"' in plan and 'id="ansvar--sekretariatet"' in plan
    assert '<a href="../parter/rum-for-liv/lejerbo-koebenhavn/">Styregruppen</a>' in plan


def test_a_2013_activity_shows_its_role_section(bundled_site):
    html = (bundled_site / "rum-for-liv" / "uddannelse-beskaeftigelse-og-erhverv" / "index.html").read_text(
        encoding="utf-8"
    )
    section = html[html.index('id="fritidsjobvejledning--roller"') : html.index('id="lektiecafe"')]
    assert "Ansvars- og rollefordeling" in section
    assert '<a href="../../parter/rum-for-liv/koebenhavns-kommune/">Jobcenterets Fritidsjobindsats</a>' in section
    assert "De boligsociale medarbejdere skal medvirke som mentorer" in section
    # The published version says openly that it was corrected.
    assert "Ansvars- og rollefordeling tilføjet ud fra aftalens tekst" in html


def test_no_published_address_disappears(bundled_site):
    """publicerede-adresser.json is the manifest of the last publication: every address in it
    must still be served or redirect. Update it (copy site/adresser.json) when publishing."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator.cli",
            "tjek-adresser",
            "--forrige",
            str(REPO / "publicerede-adresser.json"),
            "--site",
            str(bundled_site),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
