"""Golden tests: the fixture's YAML in, the exact Markdown out (reviewable diffs).

Regenerate after an intended change with ``UPDATE_GOLDEN=1 python -m pytest tests/test_rendering.py``
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE, REPO

from generator.base.problems import DelaftaleError
from generator.corpus import load_corpus
from generator.render.renderer import Renderer, danish_date

GOLDEN = Path(__file__).parent / "golden"


GENERATIONS_FIXTURE = FIXTURE.parent / "generationer" / "agreements"
#: The fixture plan of a document in its own outline (a figure, a budget with an unknown total, roles in 2013).
DISPOSITION_FIXTURE = FIXTURE.parent / "disposition" / "agreements"


def rendered() -> dict[str, str]:
    """Every fixture page: the 2019 template (solbakken), 2017 (havebyen), 2013 (gamle-gaarden), and
    documents in their own outline (lindegaarden, egebakken)."""
    pages: dict[str, str] = {}
    for folder in (FIXTURE / "agreements", GENERATIONS_FIXTURE, DISPOSITION_FIXTURE):
        corpus = load_corpus(folder, reference_date=date(2025, 1, 1))
        for uri, page in Renderer(REPO / "templates").render_corpus(corpus).items():
            pages.setdefault(uri, page.markdown)  # site-wide overviews (index.md, parter/index.md): the first fixture's
    return pages


def test_pages_match_golden_files():
    pages = rendered()
    if os.environ.get("UPDATE_GOLDEN"):
        for uri, text in pages.items():
            (GOLDEN / uri).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / uri).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(expected)
    for uri, text in pages.items():
        assert text == expected[uri], f"{uri} differs from tests/golden/{uri}"


def test_indicator_table_groups_a_delmaal_over_its_indicators():
    page = rendered()["solbakken/tryghed-og-trivsel/index.md"]
    assert '<th scope="rowgroup" role="rowheader" rowspan="2">Større oplevet tryghed</th>' in page
    assert '<span class="indikatortype">Aktivitetsnær indikator</span> Der afholdes 40 tryghedsvandringer' in page
    assert '<li id="fodnote-vive">Undersøgelsen gentages i 2026.</li>' in page


def test_2017_activity_has_its_success_criteria_table_and_grouped_roles():
    page = rendered()["havebyen/tryghed/index.md"]
    assert "### Grønne fællesskaber (Beboerniveau) {: #groenne-faellesskaber }" in page
    assert "**CFBU:** Aktiviteter til styrkelse af naboskab" in page
    table = page[page.index("<caption>Succeskriterier for Grønne fællesskaber</caption>") :]
    assert (
        '<td role="cell">40 frivillige årligt</td>' in table
        and '<td role="cell" data-label="Datakilde">Helhedsplanen</td>' in table
    )
    assert "##### Bigården {: #groenne-faellesskaber--bigaarden }" in page
    # a registered party's role heading links to its partner page
    assert "###### [Haveskolen](../../parter/havebyen/skolen/) {: #groenne-faellesskaber--bigaarden--skolen }" in page
    assert (
        'Kontakt: <span class="kontaktperson" data-search-exclude>Souschef Bo Bisgaard, bo@example.org</span>' in page
    )


def test_2013_activity_has_its_fact_box_and_the_plan_its_sections():
    pages = rendered()
    area = pages["gamle-gaarden/boern-og-unge/index.md"]
    assert area.startswith("---\ntitle: Børn og unge\n")
    assert (
        '<tr role="row"><th scope="row" role="rowheader">Succeskriterier:</th><td role="cell"><ul>'
        "<li>100 familier deltog i aktiviteterne</li>"
    ) in area
    plan = pages["gamle-gaarden/index.md"]
    for heading in (
        "## Resumé",
        "## Forord",
        "### Gården",
        "## Vision",
        "## Indsatsområder",
        "### 1. kvartal",
        "## Organisering",
        "### Styregruppen",
        "## Ansvarsområder",
        "### [Sekretariatslederens ansvarsområder](../parter/gamle-gaarden/sekretariatet/)",
    ):
        assert heading in plan, heading
    # roles are optional in a 2013 activity; given, they render as in every generation
    assert "#### Ansvars- og rollefordeling {: #familieklub--roller }" in area
    assert "##### [Red Barnet](../../parter/gamle-gaarden/red-barnet/) {: #familieklub--red-barnet }" in area
    partner = pages["parter/gamle-gaarden/sekretariatet/index.md"]
    assert (
        "### [Ansvarsområder: Sekretariatslederens ansvarsområder](../../../gamle-gaarden/#ansvar--sekretariatet)"
        in partner
    )
    assert (
        '<th scope="row" role="rowheader">I alt</th>\n<td class="tal" role="cell" data-label="Lejemål">466</td>' in plan
    )
    assert "[**Børn og unge**](boern-og-unge/)" in plan


def test_danish_dates():
    assert danish_date(date(2021, 6, 1)) == "1. juni 2021"
    assert danish_date(date(2025, 12, 31)) == "31. december 2025"


def test_broken_template_is_a_located_problem(tmp_path):
    import shutil

    shutil.copytree(REPO / "templates", tmp_path / "templates")
    target = tmp_path / "templates" / "plan.md.j2"
    target.write_text(target.read_text(encoding="utf-8") + "\n{% for x in %}\n", encoding="utf-8")
    corpus = load_corpus(FIXTURE / "agreements", reference_date=date(2025, 1, 1))
    with pytest.raises(DelaftaleError) as info:
        Renderer(tmp_path / "templates").render_corpus(corpus)
    [problem] = info.value.problems
    assert problem.file.endswith("templates/plan.md.j2")
    assert problem.line == len(target.read_text(encoding="utf-8").splitlines())
    assert problem.message.startswith("fejl i skabelonen:")
