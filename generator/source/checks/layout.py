"""Names and layout: where a file lies, that its folder and name are its ids and its period,
and that its focus area is one of the vocabulary's."""

from __future__ import annotations

import re

from generator.base.problems import Problem
from generator.model.delaftale import DelaftaleBase
from generator.model.messages import unknown
from generator.model.plan import Plan
from generator.source.sourcefiles import LAYOUT, Sources, area_lookup

_DATE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_placement(sources: Sources) -> list[Problem]:
    """Only the vocabulary, plan.yaml files and versions may lie in the agreements folder."""
    problems = []
    for item in sources.files:
        if item.kind != "fejlplaceret":
            continue
        model = item.model
        hint = (
            f"flyt den til agreements/{model.plan}/{model.id}/{model.gyldig_fra.isoformat()}.yaml"
            if isinstance(model, DelaftaleBase)
            else "flyt eller slet den"
        )
        problems.append(
            item.at((), f"filen ligger et sted, hvor der ikke må ligge aftaler ({LAYOUT}) — {hint}", line=1)
        )
    return problems


def check_names(sources: Sources) -> list[Problem]:
    """A plan's folder is its id; a version's folder is its delaftale's id and its file name its
    gyldig_fra: then a file's address can be read from where it lies, and a stray copy
    ('kladde.yaml') cannot be published by accident."""
    problems = []
    for item in sources.plan_files.values():
        if isinstance(item.model, Plan) and item.model.id != item.parts[0]:
            problems.append(
                item.at(
                    ("id",),
                    f"planen har id '{item.model.id}', men ligger i mappen '{item.parts[0]}' — "
                    f"omdøb mappen til '{item.model.id}', eller ret id til '{item.parts[0]}'",
                )
            )
    for item in sources.versions:
        model: DelaftaleBase = item.model  # type: ignore[assignment]
        plan_folder, folder, name = item.parts
        start = model.gyldig_fra.isoformat()
        if name != f"{start}.yaml":
            stem = name.rsplit(".", 1)[0]
            why = (
                f"filen hedder '{name}', men versionen gælder fra {start}"
                if _DATE_NAME.match(stem)
                else "en version skal hedde sin gyldig_fra"
            )
            problems.append(
                item.at(
                    ("gyldig_fra",),
                    f"{why} — omdøb filen til {start}.yaml, eller ret gyldig_fra "
                    "(en version, der ikke er godkendt endnu, kan have 'status: udkast')",
                )
            )
        if model.id != folder:
            problems.append(
                item.at(
                    ("id",),
                    f"delaftalen har id '{model.id}', men ligger i mappen '{folder}' — ret id "
                    f"til '{folder}', eller flyt filen til agreements/{plan_folder}/{model.id}/ "
                    "(et nyt id giver nye adresser: skriv det gamle under 'tidligere_id')",
                )
            )
        if model.plan != plan_folder:
            if model.plan in sources.plan_files:
                message = (
                    f"filen ligger i mappen for planen '{plan_folder}', men siger plan: {model.plan} — "
                    f"ret feltet til '{plan_folder}', eller flyt filen til agreements/{model.plan}/{folder}/"
                )
            else:
                message = "planen " + unknown("planer", model.plan, sorted(sources.plan_files))
            problems.append(item.at(("plan",), message))
        elif plan_folder not in sources.plan_files:
            problems.append(
                item.at(("plan",), f"der er ingen plan.yaml i agreements/{plan_folder}/ — opret planen der")
            )
    return problems


def check_focus_areas(sources: Sources) -> list[Problem]:
    """Every agreement's focus area is one of the vocabulary's, so overviews gather them."""
    vocabulary, shown = sources.vocabulary, sources.vocabulary_file
    if vocabulary is None or shown is None:
        return []
    area_of = area_lookup(vocabulary)
    return [
        item.at(
            ("indsatsomraade",),
            f"indsatsområdet '{item.model.indsatsomraade}' står ikke i {shown.shown} — "  # type: ignore[union-attr]
            "brug et af navnene der, eller tilføj det (som nyt indsatsområde eller som variant af et)",
        )
        for item in sources.versions
        if area_of(item.model.indsatsomraade) is None
    ]  # type: ignore[union-attr]
