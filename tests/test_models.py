"""The models: ids, the published JSON Schema, and which version is current."""

from __future__ import annotations

import json
from datetime import date
from typing import ForwardRef

from conftest import FIXTURE, REPO

from generator.cli import main
from generator.corpus import load_corpus
from generator.model.delaftale import GENERATIONS
from generator.model.fields import suggest_id
from generator.model.schema import delaftale_schema, model_classes, plan_schema


def test_suggested_ids_are_ascii_slugs():
    assert suggest_id("Brøndby Strand") == "broendby-strand"
    assert suggest_id("Sammenhængskraft og Medborgerskab") == "sammenhaengskraft-og-medborgerskab"
    assert suggest_id("Ejendomsfunktionær+") == "ejendomsfunktionaer"


def test_committed_schema_matches_the_models(tmp_path):
    """Editors read schema/*.json: it must never drift from the models."""
    assert main(["schema", "--ud", str(tmp_path)]) == 0
    for name in ("plan", "delaftale", "maalinger"):
        assert (tmp_path / f"{name}.schema.json").read_text() == (
            REPO / "schema" / f"{name}.schema.json"
        ).read_text(), f"schema/{name}.schema.json is stale: run 'delaftale schema'"


def test_schema_describes_fields_in_danish_and_forbids_unknown_keys():
    schema = delaftale_schema()
    assert schema["discriminator"]["propertyName"] == "skabelon"
    assert sorted(schema["discriminator"]["mapping"]) == ["helhedsplan-2013", "lbf-2017", "lbf-2019"]
    lbf_2019 = schema["$defs"]["DelaftaleLbf2019"]
    assert lbf_2019["additionalProperties"] is False
    assert "delmaal" in lbf_2019["required"]
    assert lbf_2019["properties"]["gyldig_fra"]["description"] == "Dato som ÅÅÅÅ-MM-DD"
    assert plan_schema()["properties"]["kommune"]["description"].startswith("Kommunen")
    json.dumps(schema)  # serialisable


def test_current_version_is_the_newest_in_force(tmp_path):
    import shutil

    agreements = tmp_path / "agreements"
    shutil.copytree(FIXTURE / "agreements", agreements)
    folder = agreements / "solbakken" / "tryghed-og-trivsel"
    second = (
        (folder / "2024-01-01.yaml")
        .read_text(encoding="utf-8")
        .replace("gyldig_fra: 2024-01-01", "gyldig_fra: 2026-01-01")
        .replace("Større oplevet tryghed", "Endnu større tryghed")
    )
    (folder / "2026-01-01.yaml").write_text(second, encoding="utf-8")
    first = folder / "2024-01-01.yaml"
    first.write_text(
        first.read_text(encoding="utf-8").replace("gyldig_til: 2027-12-31", "gyldig_til: 2025-12-31"), encoding="utf-8"
    )

    def current(on: date) -> date:
        [agreement] = load_corpus(agreements, reference_date=on).agreements
        return agreement.current.model.gyldig_fra

    assert current(date(2023, 6, 1)) == date(2024, 1, 1)  # nothing in force yet: the first
    assert current(date(2025, 6, 1)) == date(2024, 1, 1)
    assert current(date(2026, 1, 1)) == date(2026, 1, 1)


def test_danish_alphabetical_order():
    from generator.corpus import danish_sort_key

    names = ["Århus Vest", "Ølstykke", "Zealand", "Ærø", "Brøndby"]
    assert sorted(names, key=danish_sort_key) == ["Brøndby", "Zealand", "Ærø", "Ølstykke", "Århus Vest"]


def test_every_model_is_found_and_its_fields_resolved_across_the_modules():
    """The models live in several modules and name each other: each is found (the checks look
    for personal data in all of them), and no field is left with a forward reference (the
    checks and the guide walk fields by their annotation)."""
    classes = model_classes()
    names = {c.__name__ for c in classes}
    assert {"Plan", "Maalinger", "Ordliste", "Kontaktperson", "Summetabel", "Rolle"} <= names
    assert all(cls in classes for cls in GENERATIONS.values())
    for cls in classes:
        for name, info in cls.model_fields.items():
            assert not isinstance(info.annotation, ForwardRef), f"{cls.__name__}.{name}"
