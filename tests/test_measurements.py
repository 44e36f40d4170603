"""Indicators over time: ids, maalinger.yaml, charts, the focus-area comparison."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from conftest import Built, Project

from generator.model.indicators import Indikator, Maalinger
from generator.render.charts import figure, points, svg

VERSIONS = Path(__file__).parent / "fixtures" / "versioner" / "agreements"
EPOCH_2026_06 = "1780272000"  # 2026-06-01: lindely's 2026 version is current, 2020 and 2022 replaced
SOLBAKKEN = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"

MEASUREMENTS = """\
indikatorer:
  - indikator: tryghed
    enhed: "%"
    maal: 75
    maal_aar: 2027
    maalinger:
      - tid: 2023
        vaerdi: 64
        kilde: VIVE Tryghedsmåling 2023
      - tid: 2024-06-01
        vaerdi: 66,5
        note: Kun blok 3
  - indikator: vandringer
    maalinger:
      - tid: 2024
        tekst: Ikke opgjort endnu
"""


def build(project: Project, **env: str) -> Built:
    """In this process: the messages asserted are the plugin's log, as the command prints them."""
    return project.build_here(SOURCE_DATE_EPOCH=EPOCH_2026_06, **env)


@pytest.fixture
def measured(project: Project) -> Project:
    """The fixture site with ids on Solbakken's indicators and their measurements, plus Lindely."""
    project.edit(
        SOLBAKKEN,
        "      - tekst: Andel der føler sig trygge i boligområdet\n",
        "      - id: tryghed\n        tekst: Andel der føler sig trygge i boligområdet\n",
    )
    project.edit(
        SOLBAKKEN,
        "      - tekst: Der afholdes 40 tryghedsvandringer\n",
        "      - id: vandringer\n        tekst: Der afholdes 40 tryghedsvandringer\n"
        "      - tekst: Antal deltagere i gårdfester\n        baseline: 80 deltagere\n        baseline_aar: 2023\n",
    )
    project.write("solbakken/tryghed-og-trivsel/maalinger.yaml", MEASUREMENTS)
    shutil.copytree(VERSIONS / "lindely", project.agreements / "lindely")
    for version in (project.agreements / "lindely/tryghed").glob("*.yaml"):
        text = version.read_text(encoding="utf-8")
        text = text.replace(
            "      - tekst: Andel der føler sig trygge\n",
            "      - id: tryghed\n        tekst: Andel der føler sig trygge\n",
        )
        text = text.replace(
            "      - tekst: Antal deltagere i gårdfester\n",
            "      - id: gaardfester\n        tekst: Antal deltagere i gårdfester\n",
        )
        version.write_text(text, encoding="utf-8")
    return project


def test_the_current_page_shows_each_measured_indicator_as_a_chart_and_a_table(measured):
    result = build(measured)
    assert result.returncode == 0, result.stderr
    page = measured.page("solbakken/tryghed-og-trivsel")
    chart = re.search(
        r'<svg class="indikatorgraf-svg" role="img" aria-labelledby="graf-tryghed-titel graf-tryghed-beskrivelse".*?</svg>',
        page,
        re.S,
    )
    assert chart, "the chart is in the page (not removed by the sanitiser)"
    title = re.search(r'<title id="graf-tryghed-titel">(.*?)</title>', chart[0])[1]
    desc = unescape(re.search(r'<desc id="graf-tryghed-beskrivelse">(.*?)</desc>', chart[0])[1])
    assert title == "Udvikling: Andel der føler sig trygge i boligområdet"
    table = re.search(r"<caption>Målinger: Andel der føler sig trygge i boligområdet</caption>.*?</table>", page, re.S)[
        0
    ]
    rows = re.findall(
        r'<th scope="row" role="rowheader">(.*?)</th><td role="cell" data-label="Værdi">(.*?)</td>', table
    )
    assert rows == [
        ("Baseline 2022", "61 % føler sig trygge"),
        ("2023", "64 %"),
        ("1. juni 2024", "66,5 %"),
        ("Mål 2027", "75 %"),
    ]
    assert desc == "; ".join(f"{when}: {value}" for when, value in rows) + "."  # the chart says what the table says
    assert chart[0].count("<circle") == 3  # baseline and two measurements; the target is a line
    assert "<script" not in chart[0] and "http" not in chart[0].replace('xmlns="http://www.w3.org/2000/svg"', "")
    # a text measurement: a table, no chart
    assert "graf-vandringer" not in page and "Ikke opgjort endnu" in page


def test_charts_and_data_are_byte_identical_in_two_builds(measured, tmp_path):
    assert build(measured).returncode == 0
    first = tmp_path / "first"
    shutil.copytree(measured.site, first)
    assert build(measured).returncode == 0
    for relative in (
        "solbakken/tryghed-og-trivsel/index.html",
        "data/maalinger.csv",
        "data/indikatorer.csv",
        "indsatsomraader/tryghed-og-trivsel/index.html",
    ):
        assert (measured.site / relative).read_bytes() == (first / relative).read_bytes(), relative


def test_a_measurement_of_a_past_versions_indicator_changes_neither_that_version_nor_its_record(measured):
    (measured.agreements / "solbakken/tryghed-og-trivsel/maalinger.yaml").unlink()
    assert build(measured).returncode == 0
    past = (measured.site / "lindely/tryghed/2022-04-01/index.html").read_bytes()
    older = (measured.site / "lindely/tryghed/2020-01-01/index.html").read_bytes()
    versions = sorted(p.name for p in (measured.site / "lindely/tryghed").iterdir())
    (measured.root / "publicerede-adresser.json").write_bytes((measured.site / "adresser.json").read_bytes())

    measured.write(
        "lindely/tryghed/maalinger.yaml",
        "indikatorer:\n  - indikator: tryghed\n    enhed: '%'\n    maalinger:\n      - tid: 2023\n        vaerdi: 63\n",
    )
    result = build(measured)
    assert result.returncode == 0, result.stderr  # the published fingerprints still match
    assert (measured.site / "lindely/tryghed/2022-04-01/index.html").read_bytes() == past
    assert (measured.site / "lindely/tryghed/2020-01-01/index.html").read_bytes() == older
    assert sorted(p.name for p in (measured.site / "lindely/tryghed").iterdir()) == versions  # no new version
    rows = list(
        csv.DictReader(
            io.StringIO((measured.site / "data/maalinger.csv").read_text(encoding="utf-8-sig")), delimiter=";"
        )
    )
    assert [(r["plan"], r["indikator_id"], r["indikator"], r["tidspunkt"], r["vaerdi"]) for r in rows] == [
        ("lindely", "tryghed", "Andel der føler sig trygge", "2023", "63")
    ]


def test_measurement_rows_equal_the_measurements_in_the_yaml(measured):
    assert build(measured).returncode == 0
    rows = list(
        csv.DictReader(
            io.StringIO((measured.site / "data/maalinger.csv").read_text(encoding="utf-8-sig")), delimiter=";"
        )
    )
    import yaml

    expected = sum(len(s["maalinger"]) for s in yaml.safe_load(MEASUREMENTS)["indikatorer"])
    assert len(rows) == expected == 3
    assert rows[1]["vaerdi"] == "66,5" and rows[1]["maal"] == "75" and rows[2]["tekst"] == "Ikke opgjort endnu"


def test_the_focus_area_overview_compares_indicators_that_several_plans_share(measured):
    measured.write(
        "lindely/tryghed/maalinger.yaml",
        "indikatorer:\n  - indikator: gaardfester\n    enhed: deltagere\n    maalinger:\n"
        "      - tid: 2026\n        vaerdi: 120\n",
    )
    result = build(measured)
    assert result.returncode == 0, result.stderr
    area = measured.page("indsatsomraader/tryghed-og-trivsel")
    table = re.search(r"<caption>Antal deltagere i gårdfester</caption>.*?</table>", area, re.S)
    assert table, "the same indicator text in two plans is compared"
    cells = re.findall(
        r'<a href="[^"]+">([^<]+)</a></th>\s*<td role="cell" data-label="Baseline">([^<]*)</td>\s*'
        r'<td role="cell" data-label="Baseline år">([^<]*)</td>\s*<td role="cell" data-label="Seneste måling">([^<]*)</td>',
        table[0],
    )
    assert sorted(cells) == [
        ("Lindely i Fællesskab", "", "", "120 deltagere (2026)"),
        ("Solbakken Sammen", "80 deltagere", "2023", ""),
    ]


def _validate(project: Project) -> subprocess.CompletedProcess:
    return project.validate()


def test_a_measurement_of_an_unknown_indicator_is_a_located_danish_error(measured):
    measured.edit(
        "solbakken/tryghed-og-trivsel/maalinger.yaml", "  - indikator: vandringer\n", "  - indikator: vandring\n"
    )
    result = _validate(measured)
    assert result.returncode == 1
    assert (
        "agreements/solbakken/tryghed-og-trivsel/maalinger.yaml:13: indikatorer[1].indikator: indikatoren "
        "'vandring' findes ikke — mente du 'vandringer'?"
    ) in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_measurement_is_reported_with_its_line(measured):
    measured.edit(
        "solbakken/tryghed-og-trivsel/maalinger.yaml",
        "        vaerdi: 64\n",
        "        vaerdi: 64\n        tekst: ca. 64\n",
    )
    measured.edit("solbakken/tryghed-og-trivsel/maalinger.yaml", "      - tid: 2024\n", "      - tid: '24'\n")
    result = _validate(measured)
    assert result.returncode == 1
    assert "maalinger.yaml:7: indikatorer[0].maalinger[0]: angiv enten 'vaerdi' (et tal) eller 'tekst'" in result.stderr
    assert (
        "maalinger.yaml:16: indikatorer[1].maalinger[0].tid: '24' er hverken et årstal eller en dato — skriv fx 2024 "
        "eller 2024-03-01"
    ) in result.stderr
    assert "hedde sin gyldig_fra" not in result.stderr  # maalinger.yaml is not taken for a version


def test_indicator_ids_are_unique_in_a_delaftale_and_stable_across_versions(measured):
    measured.edit("lindely/tryghed/2022-04-01.yaml", "      - id: gaardfester\n", "      - id: tryghed\n")
    measured.edit("lindely/tryghed/2020-01-01.yaml", "      - id: tryghed\n", "      - id: trivsel\n")
    result = _validate(measured)
    assert result.returncode == 1
    assert (
        "2022-04-01.yaml:26: delmaal[1].indikatorer[0].id: id 'tryghed' er allerede brugt af delmaal[0].indikatorer[0]"
        in result.stderr
    )
    assert (
        "2022-04-01.yaml:19: delmaal[0].indikatorer[0].id: indikatoren har id 'trivsel' i "
        "agreements/lindely/tryghed/2020-01-01.yaml — en indikator beholder sit id i alle versioner"
    ) in result.stderr


def test_measurements_without_a_delaftale_are_an_error(project):
    project.write("solbakken/ukendt/maalinger.yaml", "indikatorer:\n  - indikator: x\n    maalinger: []\n")
    result = _validate(project)
    assert result.returncode == 1
    assert (
        "agreements/solbakken/ukendt/maalinger.yaml:1: der er ingen version af en delaftale i agreements/solbakken/ukendt/"
        in result.stderr
    )


def test_chart_svg_is_deterministic_and_escapes_author_text():
    indicator = Indikator(id="x", tekst="<script>alert(1)</script> & trivsel", baseline="50 %", baseline_aar=2020)
    series = Maalinger.model_validate(
        {
            "indikatorer": [
                {
                    "indikator": "x",
                    "enhed": "%",
                    "maalinger": [
                        {"tid": "2021", "vaerdi": "55"},
                        {"tid": "2022", "vaerdi": "60,5", "kilde": "<b>kilde</b>"},
                    ],
                }
            ]
        }
    ).indikatorer[0]
    first = svg(indicator, series, "graf-x")
    assert first == svg(indicator, series, "graf-x")
    assert "<script>" not in first and "&lt;script&gt;" in first
    inserts: dict = {}
    html = figure(indicator, series, inserts)
    assert "<b>" not in html and "&lt;b&gt;kilde&lt;/b&gt;" in html
    assert list(inserts) == ['<div class="graf" id="graf-x"></div>']
    assert [p.value for p in points(indicator, series)] == [Decimal(50), Decimal(55), Decimal("60.5")]


def test_two_indicators_of_one_version_may_read_alike_with_their_own_ids(measured):
    measured.edit(
        SOLBAKKEN,
        "      - tekst: Antal deltagere i gårdfester\n",
        "      - id: gaardfester\n        tekst: Der afholdes 40 tryghedsvandringer\n",
    )
    result = _validate(measured)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("width", [375, 1280])
def test_chart_and_data_page_in_chromium(measured, width, tmp_path):
    """WCAG 2.1 AA (axe), no sideways scrolling on a phone, no foreign request; the chart's numbers
    are read out by its accessible name. Screenshots are kept in tmp_path for a look."""
    from browser import GuardedPage, axe_violations, browser, serve

    assert build(measured).returncode == 0
    with serve(measured.site) as url, browser() as instance:
        guarded = GuardedPage(instance, width=width)
        for path in ("solbakken/tryghed-og-trivsel/", "data/", "indsatsomraader/tryghed-og-trivsel/"):
            guarded.page.goto(url + path)
            assert axe_violations(guarded.page) == [], path
            widths = guarded.page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], (path, widths)
            if path.startswith("solbakken"):
                chart = guarded.page.locator("#graf-tryghed svg")
                chart.scroll_into_view_if_needed()
                box = chart.bounding_box()
                assert box and 0 < box["width"] <= width
                assert (
                    guarded.page.get_by_role("img", name="Udvikling: Andel der føler sig trygge i boligområdet").count()
                    == 1
                )
                guarded.page.locator(".indikatorgraf").first.screenshot(path=str(tmp_path / f"graf-{width}.png"))
            else:
                guarded.page.screenshot(
                    path=str(tmp_path / f"{path.strip('/').replace('/', '-')}-{width}.png"), full_page=True
                )
        guarded.close()
