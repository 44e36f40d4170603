"""Open data: versions as JSON, CSV tables with a Frictionless Data Package, the Data page."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import frictionless
import jsonschema
import pytest
import yaml
from conftest import REPO, Project, make_project

from generator.corpus import load_corpus
from generator.model.delaftale import GENERATIONS
from generator.model.indicators import INDICATOR_COLUMNS
from generator.publish.opendata import (
    TABLES,
    VERSION_COLUMNS,
    Column,
    csv_text,
    datapackage,
    masked,
    without_personal_data,
)

VERSIONS = Path(__file__).parent / "fixtures" / "versioner" / "agreements"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Project:
    """The repository's own agreements, built."""
    project = make_project(tmp_path_factory.mktemp("bundled") / "projekt", REPO / "agreements")
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    return project


def _data_files(site: Path) -> list[Path]:
    return sorted(site.rglob("delaftale.json"))


def _read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Danish Excel needs the byte-order mark"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_every_version_as_json_validates_against_the_published_schema_and_round_trips(bundled):
    schema = json.loads((bundled.site / "data/schema/delaftale.schema.json").read_text(encoding="utf-8"))
    corpus = load_corpus(bundled.agreements)
    models = {f"{v.model.plan}/{v.model.id}/{v.key}": v.model for a in corpus.agreements for v in a.versions}
    dated = [p for p in _data_files(bundled.site) if p.parent.name[:4].isdigit()]
    assert len(dated) == len(models)  # every published version, each at its dated address
    for path in dated:
        document = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(document, schema)
        assert document["$schema"] == "/data/schema/delaftale.schema.json"
        data = {k: v for k, v in document.items() if k != "$schema"}
        model = GENERATIONS[data["skabelon"]].model_validate(data)  # round trip into the model
        assert without_personal_data(model, model.model_dump(mode="json")) == data
        source = models[str(path.parent.relative_to(bundled.site))]
        # As the source has it, with the e-mail addresses in its running text masked (textscan.mask).
        assert data == masked(without_personal_data(source, source.model_dump(mode="json")))


def test_the_current_version_is_also_at_the_undated_address_and_linked_from_its_page(bundled):
    corpus = load_corpus(bundled.agreements)
    for agreement in corpus.agreements:
        undated = bundled.site / agreement.url / "delaftale.json"
        dated = bundled.site / agreement.version_src_uri(agreement.current).removesuffix("index.md") / "delaftale.json"
        assert undated.read_bytes() == dated.read_bytes()
        page = bundled.page(agreement.url)
        assert '<a class="datalink" href="delaftale.json">Hent som data (JSON)</a>' in page


def test_data_files_hold_no_contact_persons_even_when_the_site_shows_them(project):
    assert project.build_here().returncode == 0
    assert "Jens Jensen" in project.page("solbakken/tryghed-og-trivsel")  # shown on the page
    for path in [*project.site.rglob("delaftale.json"), *project.site.rglob("*.csv")]:
        text = path.read_text(encoding="utf-8")
        assert "Jens Jensen" not in text and "kontaktpersoner" not in text, path


def test_drafts_are_never_data(project):
    shutil.copytree(VERSIONS / "lindely", project.agreements / "lindely")
    draft = project.agreements / "lindely/tryghed/2026-01-01.yaml"
    draft.write_text(
        draft.read_text(encoding="utf-8").replace(
            "godkendt:\n  af: Bestyrelsen\n  dato: 2025-10-02\n", "status: udkast\n"
        ),
        encoding="utf-8",
    )
    result = project.build_here(DELAFTALER_UDKAST="true")  # even in a preview that shows drafts
    assert result.returncode == 0, result.stderr
    assert not (project.site / "lindely/tryghed/2026-01-01/delaftale.json").exists()
    assert (project.site / "lindely/tryghed/2022-04-01/delaftale.json").exists()
    assert "2026-01-01" not in (project.site / "data/indikatorer.csv").read_text(encoding="utf-8")
    assert "Hent som data" not in project.page("lindely/tryghed/2026-01-01")


def _yaml_indicators(folder: Path) -> int:
    count = 0
    for path in folder.glob("*/*/*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "skabelon" not in data or data.get("status") == "udkast":
            continue
        count += sum(len(goal["indikatorer"]) for goal in data.get("delmaal", []))
    return count


def test_the_indicator_table_has_one_row_per_indicator_in_the_yaml(bundled):
    rows = _read_csv(bundled.site / "data/indikatorer.csv")
    assert len(rows) == _yaml_indicators(bundled.agreements) > 10
    assert list(rows[0]) == [c.name for c in TABLES["indikatorer"][2]]
    first = rows[0]
    assert first["helhedsplan"] == "Brøndby Strand Projektet" and first["kommune"] == "Brøndby Kommune"
    assert first["baseline"] == "68 % føler sig trygge" and first["baseline_aar"] == "2018"
    assert first["adresse"] == "/brondby-strand/sammenhaengskraft-og-medborgerskab/"
    assert {r["status"] for r in rows} <= {"gældende", "kommende", "i høring", "udløbet", "erstattet"}
    activities = _read_csv(bundled.site / "data/aktiviteter.csv")
    assert len(activities) == sum(len(a.current.model.aktiviteter) for a in load_corpus(bundled.agreements).agreements)
    roles = _read_csv(bundled.site / "data/roller.csv")
    assert any(r["part"] and r["opgave"] for r in roles)


def test_the_data_package_validates_with_frictionless(bundled):
    report = frictionless.validate(str(bundled.site / "data/datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((bundled.site / "data/datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC0-1.0"
    assert all(f["description"] for r in package["resources"] for f in r["schema"]["fields"])


def test_data_addresses_are_in_the_address_manifest(bundled):
    manifest = json.loads((bundled.site / "adresser.json").read_text(encoding="utf-8"))
    assert {
        "data/indikatorer.csv",
        "data/datapackage.json",
        "data/schema/delaftale.schema.json",
        "brondby-strand/sammenhaengskraft-og-medborgerskab/delaftale.json",
        "brondby-strand/sammenhaengskraft-og-medborgerskab/2021-06-01/delaftale.json",
    } <= set(manifest["datafiler"])
    assert "data/" in manifest["sider"]
    published = json.loads((REPO / "publicerede-adresser.json").read_text(encoding="utf-8"))
    assert "data/indikatorer.csv" in published["datafiler"]  # so `delaftale tjek-adresser` protects them


def test_the_data_page_lists_downloads_and_the_configured_licence(project):
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      templates_dir: templates\n", "      templates_dir: templates\n      data_license: CC-BY-4.0\n"
        ),
        encoding="utf-8",
    )
    assert project.build_here().returncode == 0
    page = project.page("data")
    assert '<a href="indikatorer.csv">indikatorer.csv</a>' in page
    assert "Creative Commons Navngivelse 4.0 International" in page and "CC-BY-4.0" in page
    assert '<a href="datapackage.json">datapackage.json</a>' in page
    assert "pd.read_csv" in page
    assert (
        json.loads((project.site / "data/datapackage.json").read_text(encoding="utf-8"))["licenses"][0]["name"]
        == "CC-BY-4.0"
    )


def test_two_builds_write_byte_identical_data(project, tmp_path):
    shutil.copytree(VERSIONS / "lindely", project.agreements / "lindely")
    first = tmp_path / "first"
    assert project.build_here().returncode == 0
    shutil.copytree(project.site, first)
    assert project.build_here().returncode == 0
    files = [
        p.relative_to(first)
        for p in first.rglob("*")
        if p.suffix in (".json", ".csv", ".html") and p.parts[len(first.parts)] != "pagefind"
    ]  # Pagefind's hash-ordered files: see README
    assert len(files) > 10
    for relative in files:
        assert (project.site / relative).read_bytes() == (first / relative).read_bytes(), relative


def test_csv_cells_go_by_their_columns_name_whatever_the_rows_order():
    columns = [Column("plan", "string", "Planen"), Column("vaerdi", "number", "Værdien")]
    text = csv_text(columns, [{"vaerdi": "0,5", "plan": "havebyen"}])
    assert text == "\ufeffplan;vaerdi\r\nhavebyen;0,5\r\n"
    with pytest.raises(ValueError):
        csv_text(columns, [{"plan": "havebyen", "vaerdi": "1", "ukendt": "x"}])  # a cell no column names


def test_the_indicator_columns_are_the_declared_ones_in_csv_and_data_package():
    declared = [c.csv for c in INDICATOR_COLUMNS]
    fields = next(r for r in datapackage("CC0-1.0", "Sitet")["resources"] if r["name"] == "indikatorer")
    names = [f["name"] for f in fields["schema"]["fields"]]
    assert names[len(VERSION_COLUMNS) : -1] == declared  # between the version's columns and the address
    described = {f["name"]: f["description"] for f in fields["schema"]["fields"]}
    assert all(described[c.csv] == c.description for c in INDICATOR_COLUMNS)
