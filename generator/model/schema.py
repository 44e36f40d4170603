"""The JSON Schemas authors' editors check the YAML files with (``schema/``), derived from the
models, with the keys of each outline's standard sections (:mod:`generator.model.outline`)."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, TypeAdapter

from generator.model.delaftale import GENERATIONS
from generator.model.fields import Model
from generator.model.indicators import Maalinger
from generator.model.outline import plan_document_outline, standard_outline
from generator.model.plan import Plan


def maalinger_schema() -> dict[str, Any]:
    schema = TypeAdapter(Maalinger).json_schema()
    schema["title"] = "Målinger af indikatorer"
    return schema


def _describe_section_keys(schema: dict[str, Any], keys: dict[str, list[str]]) -> None:
    """Name the section keys a disposition may use in the editor's tooltip (from generator.model.outline)."""
    field = schema["$defs"]["Dispositionsafsnit"]["properties"]["afsnit"]
    field["description"] = "Nøglen for et standardafsnit; udelades for et frit afsnit. Nøglerne: " + "; ".join(
        f"{where}: {', '.join(names)}" for where, names in keys.items()
    )


def delaftale_schema() -> dict[str, Any]:
    union = Union[tuple(GENERATIONS.values())]  # type: ignore[valid-type]  # noqa: UP007 (built at run time)
    schema = TypeAdapter(Annotated[union, Field(discriminator="skabelon")]).json_schema()
    schema["title"] = "Delaftale"
    _describe_section_keys(schema, {name: [s.key for s in standard_outline(name)] for name in GENERATIONS})
    return schema


def plan_schema() -> dict[str, Any]:
    schema = TypeAdapter(Plan).json_schema()
    schema["title"] = "Boligsocial helhedsplan"
    _describe_section_keys(schema, {"dokument": [s.key for s in plan_document_outline()]})
    return schema


def model_classes() -> list[type[Model]]:
    """Every model class (each generation's, the plan's, the measurements', the vocabulary's and
    the ones inside them), found as the subclasses of :class:`Model`: all modules defining
    models are imported here."""
    found, todo = [], [Model]
    while todo:
        for cls in todo.pop().__subclasses__():
            if cls not in found:
                found.append(cls)
                todo.append(cls)
    return found
