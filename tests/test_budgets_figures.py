"""Budgets as tables, the one parties component, and figures beside the YAML (issue 15).

Real YAML in tmp_path, real `delaftale validate` and `mkdocs build` runs, real chromium.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest
from conftest import FIXTURE, REPO, Project, make_project

GENERATIONS = FIXTURE.parent / "generationer" / "agreements"
PLAN = "gamle-gaarden/plan.yaml"
AREA_2013 = "gamle-gaarden/boern-og-unge/2013-01-01.yaml"
AGREEMENT_2017 = "havebyen/tryghed/2018-01-01.yaml"

BUDGET = """  budget:
    - titel: Budget 2014–2017 (1.000 kr.)
      tekst: Budgettet er et udkast; kommunens andel for 2017 kendes endnu ikke.
      betegnelse_kolonne: Finansieringskilde
      kolonner: [2014, 2015, 2016, 2017]  # years as numbers: headings
      raekker:
        - betegnelse: Landsbyggefonden
          beloeb: ['1.200', '1.250', '1.250', '1.300']
        - betegnelse: Eksempel Kommune
          beloeb: ['0,5', '300', '300', ukendt]
        - betegnelse: Boligselskabet
          beloeb: ['100', '100', '100', '100']
      total_betegnelse: I alt
      total: ['1.300,5', '1.650', ~, ukendt]
"""

FIGURE_TEXT = """  vision: |
    Trygge og attraktive afdelinger.

    ![Organisationsdiagram: bestyrelsen øverst, styregruppen og sekretariatet under den](organisation.png "Figur 1: Helhedsplanens organisering")

    Logoet <img src="https://example.org/logo.png" alt="Logo"> vises ikke.

    | Møde | Hvornår |
    | --- | --- |
    | Bestyrelsesmøde | Hvert kvartal, første mandag i måneden kl. 16 |
    | Styregruppemøde | Hver anden måned |
"""


def png(width: int, height: int, rgb=(30, 90, 160)) -> bytes:
    """A real PNG image (a plain colour with a white band), without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + (bytes(rgb) if y % 40 > 8 else b"\xff\xff\xff") * width for y in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def generations_project(root: Path) -> Project:
    project = make_project(root, GENERATIONS)
    return project


def problems(project: Project) -> list[str]:
    result = project.validate()
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    return [line.strip() for line in result.stderr.splitlines() if line.startswith("  agreements/")]


def line_of(project: Project, relative: str, needle: str) -> int:
    lines = (project.agreements / relative).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


# --------------------------------------------------------------------------- budgets: validation


def test_a_bad_cell_a_wrong_column_total_and_a_short_row_are_located_and_named(tmp_path):
    project = generations_project(tmp_path / "p")
    project.edit(
        PLAN,
        "  kolofon:",
        BUDGET.replace("['0,5', '300', '300', ukendt]", "['0,5', '3OO', '300', '??']") + "  kolofon:",
    )
    project.edit(AREA_2013, "gyldig_til:", "status: i_hoering\ngyldig_til:")
    found = problems(project)
    row = line_of(project, PLAN, "'3OO'")
    assert (
        f"agreements/{PLAN}:{row}: dokument.budget[0].raekker[1].beloeb[1]: rækken 'Eksempel Kommune', "
        "kolonnen '2015': '3OO' er ikke et tal — skriv fx 3.100 eller 0,5 (punktum for tusinder, komma for "
        "decimaler) eller ukendt"
    ) in found
    assert (
        f"agreements/{PLAN}:{row}: dokument.budget[0].raekker[1].beloeb[3]: rækken 'Eksempel Kommune', "
        "kolonnen '2017': '??' er ikke et tal — skriv ukendt, hvis beløbet ikke kendes endnu (kun i et udkast "
        "eller en version i høring), eller 0, hvis der intet beløb er"
    ) in found

    project.edit(PLAN, "'3OO', '300', '??'", "'300', '300', ukendt")
    project.edit(PLAN, "['1.300,5', '1.650', ~, ukendt]", "['1.300', '1.650', ~, '1.500']")
    project.edit(PLAN, "['100', '100', '100', '100']", "['100', '100', '100']")
    found = problems(project)
    assert found == [
        f"agreements/{PLAN}:{line_of(project, PLAN, 'betegnelse: Boligselskabet') + 1}: dokument.budget[0].raekker[2]"
        ".beloeb: rækken 'Boligselskabet' har 3 beløb, men tabellen har 4 kolonner (2014, 2015, 2016, 2017) — skriv "
        "ét beløb pr. kolonne (ukendt for et beløb, der ikke kendes endnu)"
    ], found

    project.edit(PLAN, "['100', '100', '100']", "['100', '100', '100', '100']")
    project.edit(PLAN, "      total: ['1.300', '1.650', ~, '1.500']\n", "")
    assert problems(project) == [
        f"agreements/{PLAN}:{line_of(project, PLAN, '      total_betegnelse')}: dokument.budget[0].total_betegnelse: "
        "tabellen har en total-række ('I alt'), men ingen total — skriv 'total:' (ukendt, hvis den ikke kendes endnu) "
        "eller slet 'total_betegnelse:'"
    ]
    project.edit(
        PLAN,
        "      total_betegnelse: I alt\n",
        "      total_betegnelse: I alt\n      total: ['1.300', '1.650', ~, '1.500']\n",
    )
    total = line_of(project, PLAN, "total: [")
    assert problems(project) == [
        f"agreements/{PLAN}:{total}: dokument.budget[0].total[0]: total er 1.300, men rækkerne i kolonnen '2014' "
        "giver tilsammen 1.300,5 — ret totalen eller et af tallene",
        f"agreements/{PLAN}:{total}: dokument.budget[0].total[3]: total er 1.500, men kolonnen '2017' har ukendte "
        "beløb, så totalen kan ikke tjekkes — skriv ukendt som total, indtil alle beløb kendes",
    ]


def test_unknown_amounts_are_allowed_in_drafts_and_consultations_but_not_once_approved(tmp_path):
    project = generations_project(tmp_path / "p")
    project.edit(
        AGREEMENT_2017,
        "    - {betegnelse: Lokal medfinansiering, beloeb: '1.928'}",
        "    - {betegnelse: Lokal medfinansiering, beloeb: ukendt}",
    )
    project.edit(AGREEMENT_2017, "  total: '5.028'", "  total: ukendt")
    project.edit(PLAN, "  kolofon:", BUDGET + "  kolofon:")
    found = problems(project)
    line = line_of(project, AGREEMENT_2017, "beloeb: ukendt")
    rule = (
        "er kun tilladt i et udkast eller en version i høring — en godkendt version skal have alle beløb: "
        "skriv beløbet (eller sæt 'status: udkast', indtil det kendes)"
    )
    assert f"agreements/{AGREEMENT_2017}:{line}: oekonomi.raekker[1].beloeb: 'ukendt' {rule}" in found
    assert (
        f"agreements/{AGREEMENT_2017}:{line_of(project, AGREEMENT_2017, 'total: ukendt')}: oekonomi.total: "
        f"'ukendt' {rule}" in found
    )
    plan_rule = (
        "'ukendt' er kun tilladt, mens ingen af planens delaftaler er godkendt — delaftalen 'boern-og-unge' "
        "er godkendt, så planens budget skal have alle beløb: skriv beløbet"
    )
    assert (
        f"agreements/{PLAN}:{line_of(project, PLAN, 'ukendt]')}: dokument.budget[0].raekker[1].beloeb[3]: "
        f"{plan_rule}" in found
    )
    assert len(found) == 4, found  # and the plan's unknown total

    project.edit(AGREEMENT_2017, "gyldig_til:", "status: i_hoering\ngyldig_til:")
    project.edit(AREA_2013, "gyldig_til:", "status: udkast\ngyldig_til:")
    result = project.validate()
    assert result.returncode == 0, result.stderr


def test_the_bundled_two_column_budgets_keep_their_shape_and_record():
    from generator.corpus import load_corpus
    from generator.model.fingerprints import fingerprint, version_url
    from generator.publish.manifest import Manifest

    published = Manifest.read_published(REPO / "publicerede-adresser.json")
    corpus = load_corpus(REPO / "agreements", root=REPO, published=published.versioner)
    agreement = next(a for a in corpus.agreements if a.id == "tryghed-og-trivsel")
    model = agreement.current.model
    assert model.oekonomi.model_dump(mode="json", exclude_defaults=True) == {
        "raekker": [
            {"betegnelse": "Landsbyggefonden", "beloeb": "3100"},
            {"betegnelse": "Lokal medfinansiering", "beloeb": "1928"},
        ],
        "total_betegnelse": "Samlet budget for indsatsområdet",
        "total": "5028",
    }
    recorded = json.loads((REPO / "publicerede-adresser.json").read_text(encoding="utf-8"))["versioner"]
    # The budget's fingerprint is what it always was (the activities' order was corrected since, with a note).
    assert recorded[version_url(model)]["felter"]["oekonomi"] == fingerprint(model)["oekonomi"]
    plan = next(p for p in corpus.plans if p.plan.id == "rum-for-liv").plan
    assert plan.dokument.lejemaal.overskrifter is None and [r.beloeb for r in plan.dokument.lejemaal.raekker][0] == [
        394
    ]


# --------------------------------------------------------------------------- figures: validation


def test_figure_problems_are_located_in_danish(tmp_path):
    project = generations_project(tmp_path / "p")
    (project.agreements / "gamle-gaarden" / "organisation.png").write_bytes(png(40, 20))
    (project.agreements / "gamle-gaarden" / "falsk.png").write_text("<html>ikke et billede</html>")
    (project.agreements / "hemmelig.png").write_bytes(png(4, 4))
    project.edit(
        PLAN,
        "  vision: Trygge og attraktive afdelinger.\n",
        """  vision: |
    Trygge afdelinger.

    ![](organisation.png)

    ![Kort over området](kort.png "Kort")

    Og ![Logo](https://example.org/logo.png) og ![Tegning](../hemmelig.png)

    ![Model](falsk.png) og ![Diagram](model.svg)
""",
    )
    found = problems(project)
    at = lambda needle: f"agreements/{PLAN}:{line_of(project, PLAN, needle)}: dokument.vision: "
    assert found == sorted(
        [
            at("![](organisation.png)")
            + "figuren 'organisation.png' mangler en alternativ tekst — skriv mellem [ og ], "
            "hvad figuren viser, fx ![Organisationsdiagram: bestyrelsen over styregruppen]"
            "(organisation.png)",
            at("kort.png") + "figuren 'kort.png' findes ikke i gamle-gaarden/ — tjek filnavnet (billeder i mappen: "
            "falsk.png, organisation.png)",
            at("logo.png")
            + "figuren 'https://example.org/logo.png' ligger på en anden server — sitet henter intet fra "
            "andre servere: gem billedet i samme mappe som YAML-filen, og skriv filnavnet, fx "
            "![…](organisation.png)",
            at("hemmelig.png")
            + "figuren '../hemmelig.png' ligger uden for mappen gamle-gaarden/ — læg billedet i samme "
            "mappe som YAML-filen, og skriv kun filnavnet",
            at("falsk.png")
            + "filen 'falsk.png' er ikke et PNG-billede, selv om navnet siger det — gem billedet igen i "
            "det format",
            at("model.svg")
            + "figuren 'model.svg' er ikke et billede, sitet kan vise (en SVG kan indeholde kode: gem den "
            "som PNG) — brug PNG, JPEG, GIF eller WebP",
        ],
        key=lambda p: int(p.split(":")[1]),
    ), found


# --------------------------------------------------------------------------- one built site


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    return showcase(tmp_path_factory.mktemp("budget") / "p")


def showcase(root: Path) -> Project:
    """The generation fixtures with a multi-column budget and a figure in the 2013 plan (its
    indsatsområde in consultation, so an unknown amount is allowed), a figure in the 2017
    agreement, and parties with two contact persons in 2017 and 2019."""
    project = make_project(root, GENERATIONS)
    shutil.copytree(FIXTURE / "agreements" / "solbakken", project.agreements / "solbakken")
    (project.agreements / "gamle-gaarden" / "organisation.png").write_bytes(png(1200, 400))
    (project.agreements / "havebyen" / "tryghed" / "model.png").write_bytes(png(600, 300, (160, 60, 30)))
    project.edit(PLAN, "  kolofon:", BUDGET + "  kolofon:")
    project.edit(PLAN, "  vision: Trygge og attraktive afdelinger.\n", FIGURE_TEXT)
    project.edit(
        AREA_2013,
        "gyldig_til:",
        "status: i_hoering\nparter:\n  - deltagere:\n"
        "      - navn: Sekretariatet\n        kontaktpersoner:\n          - {titel: Leder, navn: Lis Lund}\n"
        "          - {titel: Koordinator, navn: Ole Olsen}\ngyldig_til:",
    )
    project.edit(
        AGREEMENT_2017,
        "  raekker:\n    - {betegnelse: Landsbyggefonden, beloeb: '3.100'}\n"
        "    - {betegnelse: Lokal medfinansiering, beloeb: '1.928'}\n",
        "  kolonner: [LBF, Kommunen]\n  raekker:\n    - {betegnelse: Drift, beloeb: ['3.000', '0,5']}\n"
        "    - {betegnelse: Aktiviteter, beloeb: ['100', '1.927,5']}\n",
    )
    project.edit(AGREEMENT_2017, "  total: '5.028'", "  total: ['3.100', '1.928']")
    project.edit(
        AGREEMENT_2017,
        "formaal_og_maal: |\n",
        'formaal_og_maal: |\n  ![Model for indsatsen: tryghed i midten](model.png "Figur 2: Indsatsens model")\n\n',
    )
    project.edit(
        AGREEMENT_2017,
        "          - {titel: Chef for sociale indsatser, navn: Anne Andersen, email: anne@example.org}",
        "          - {titel: Chef for sociale indsatser, navn: Anne Andersen, email: anne@example.org}\n"
        "          - {titel: Boligsocial leder, navn: Bo Berg, email: bo@example.org}",
    )
    solbakken = next((project.agreements / "solbakken" / "tryghed-og-trivsel").glob("*.yaml"))
    text = solbakken.read_text(encoding="utf-8")
    text = text.replace(
        "            titel: SSP-konsulent\n",
        "            titel: SSP-konsulent\n          - {titel: SSP-leder, navn: Karen Kirk}\n",
        1,
    )
    solbakken.write_text(text, encoding="utf-8")
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    return project


def test_a_multi_column_budget_is_rendered_with_its_headings_totals_and_unknowns(built):
    html = built.page("gamle-gaarden")
    table = html[html.index('id="budget"') : html.index("</table>", html.index('id="budget"'))]
    assert "<caption>Budget 2014–2017 (1.000 kr.)</caption>" in table
    assert "Budgettet er et udkast" in html[html.index('id="budget"') :]
    headers = re.findall(r'<th scope="col" role="columnheader">([^<]*)</th>', table)
    assert headers == ["Finansieringskilde", "2014", "2015", "2016", "2017"]
    assert '<td class="tal" role="cell" data-label="2014">0,5</td>' in table
    assert '<td class="tal" role="cell" data-label="2017"><span class="ukendt">ukendt</span></td>' in table
    assert '<td class="tal" role="cell" data-label="2014">1.300,5</td>' in table  # the checked total
    assert '<td class="tal" role="cell" data-label="2016"></td>' in table  # a column without a total
    assert html.index('id="budget"') < html.index('class="kolofon"')


def test_the_2017_and_2019_parties_show_every_contact_person(built):
    html = built.page("havebyen/tryghed")
    parties = html[html.index('id="parter"') : html.index('id="problemkompleks"')]
    assert parties.count("Boligselskabet Haven") == 2  # the 2017 form: one line per contact person
    assert "Anne Andersen" in parties and "anne@example.org" in parties
    assert "Boligsocial leder Bo Berg" in parties and "bo@example.org" in parties
    html = built.page("solbakken/tryghed-og-trivsel")
    parties = html[html.index('id="parter"') :]
    assert "SSP-konsulent Jens Jensen og SSP-leder Karen Kirk" in parties[: parties.index("</ul>")]


def test_a_2013_indsatsomraade_shows_its_parties_with_every_contact(built):
    html = built.page("gamle-gaarden/boern-og-unge")
    parties = html[html.index('id="parter"') : html.index('id="problemkompleks"')]
    assert "Leder Lis Lund og Koordinator Ole Olsen" in parties


def test_a_multi_column_budget_is_in_the_open_data_and_round_trips(built):
    import jsonschema

    from generator.model.delaftale import GENERATIONS

    document = json.loads((built.site / "havebyen" / "tryghed" / "delaftale.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, json.loads((built.site / "data/schema/delaftale.schema.json").read_text("utf-8")))
    data = {k: v for k, v in document.items() if k != "$schema"}
    assert data["oekonomi"]["kolonner"] == ["LBF", "Kommunen"]
    assert data["oekonomi"]["raekker"][0]["beloeb"] == ["3000", "0,5"] and data["oekonomi"]["total"] == ["3100", "1928"]
    model = GENERATIONS[data["skabelon"]].model_validate(data)
    assert model.oekonomi.total == [3100, 1928]
    html = built.page("havebyen/tryghed")
    assert '<td class="tal" role="cell" data-label="Kommunen">1.927,5</td>' in html


def test_a_figure_is_published_under_its_content_address_with_alt_text_and_caption(built):
    html = built.page("gamle-gaarden")
    figure = re.search(
        r'<figure class="figur"><img src="([^"]+)" alt="([^"]+)" loading="lazy">'
        r"<figcaption>([^<]+)</figcaption></figure>",
        html,
    )
    assert figure, html[html.index('id="vision"') :][:1500]
    src, alt, caption = figure.groups()
    assert re.fullmatch(r"\.\./figurer/[0-9a-f]{20}\.png", src)
    assert alt.startswith("Organisationsdiagram") and caption == "Figur 1: Helhedsplanens organisering"
    assert (built.site / "gamle-gaarden" / src).read_bytes() == (
        built.agreements / "gamle-gaarden" / "organisation.png"
    ).read_bytes()
    # A diagram given as text: a Markdown table, which reflows on phones like the templates' tables.
    assert (
        '<td role="cell" data-label="Hvornår">Hver anden måned</td>'
        in html[html.index('id="vision"') : html.index('id="delaftaler"')]
    )


def test_an_image_typed_as_html_is_left_out_and_the_author_told(built):
    html = built.page("gamle-gaarden")
    assert "example.org" not in html and '<span class="figur-mangler">[Figur: Logo]</span>' in html
    result = built.validate()
    assert result.returncode == 0, result.stderr
    assert (
        f"Bemærk: agreements/{PLAN}:{line_of(built, PLAN, '<img')}: dokument.vision: et billede skrevet som HTML "
        "(<img>) vises ikke — skriv det som Markdown"
    ) in result.stdout


def test_the_figure_and_the_budget_fit_a_phone(built, chromium):
    from browser import GuardedPage, serve

    with serve(built.site) as base:
        guarded = GuardedPage(chromium, width=375, height=800)
        try:
            page = guarded.page
            page.goto(base + "gamle-gaarden/")
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
            image = page.locator("figure.figur img")
            assert page.evaluate("img => img.complete && img.naturalWidth", image.element_handle()) == 1200
            box = image.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["width"] > 250
            outside = page.evaluate("""() => [...document.querySelectorAll('table.summetabel td, table.summetabel th, table.teksttabel td')]
                .filter(c => c.getBoundingClientRect().right > 375 + 0.5).length""")
            assert outside == 0
        finally:
            guarded.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_budget_figure_and_parties_pass_axe(built, chromium, width):
    from browser import GuardedPage, axe_violations, serve

    with serve(built.site) as base:
        for url in ("gamle-gaarden/", "havebyen/tryghed/"):
            guarded = GuardedPage(chromium, width=width, height=900)
            try:
                guarded.page.goto(base + url)
                assert axe_violations(guarded.page) == [], url
            finally:
                guarded.close()


def test_the_figure_is_in_the_pdf(built):
    with pikepdf.open(built.site / "havebyen" / "tryghed" / "delaftale.pdf") as pdf:
        images = [name for page in pdf.pages for name in page.get_images()]
    assert images, "the PDF has no image"


def test_changing_the_image_of_a_published_version_is_caught(built, tmp_path):
    project = Project(tmp_path / "kopi")
    shutil.copytree(built.root, project.root, ignore=shutil.ignore_patterns("site", ".cache"))
    (project.root / "publicerede-adresser.json").write_bytes((built.site / "adresser.json").read_bytes())
    assert project.validate().returncode == 0
    (project.agreements / "havebyen" / "tryghed" / "model.png").write_bytes(png(600, 300, (0, 120, 0)))
    found = problems(project)
    line = line_of(project, AGREEMENT_2017, "](model.png")
    assert found == [
        f"agreements/{AGREEMENT_2017}:{line}: figurer: versionen fra 2018-01-01 er offentliggjort og viser billedet "
        "'model.png', som er ændret (eller fjernet) siden — en offentliggjort version ændres ikke i det stille: læg det "
        "gamle billede tilbage, og giv det nye et nyt filnavn i en ny version (delaftale ny-version), eller tilføj en "
        "rettelse under 'rettelser:'"
    ]

    # What the message advises: the old image back, the new one under a new name in a new version.
    # The old version's page keeps its image; each is published under its content's address.
    old_bytes = (built.agreements / "havebyen" / "tryghed" / "model.png").read_bytes()
    (project.agreements / "havebyen" / "tryghed" / "model.png").write_bytes(old_bytes)
    (project.agreements / "havebyen" / "tryghed" / "model-2022.png").write_bytes(png(600, 300, (0, 120, 0)))
    first = (project.agreements / AGREEMENT_2017).read_text(encoding="utf-8")
    project.write(
        "havebyen/tryghed/2022-01-01.yaml",
        first.replace("gyldig_fra: 2018-01-01", "gyldig_fra: 2022-01-01")
        .replace("gyldig_til: 2021-12-31", "gyldig_til: 2025-12-31")
        .replace("](model.png", "](model-2022.png"),
    )
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    shown = {
        url: re.search(r'<figure class="figur"><img src="([^"]+)"', project.page(url))[1]
        for url in ("havebyen/tryghed/2018-01-01", "havebyen/tryghed")
    }
    assert (
        project.site / "havebyen/tryghed/2018-01-01" / shown["havebyen/tryghed/2018-01-01"]
    ).read_bytes() == old_bytes
    assert (project.site / "havebyen/tryghed" / shown["havebyen/tryghed"]).read_bytes() == png(600, 300, (0, 120, 0))
