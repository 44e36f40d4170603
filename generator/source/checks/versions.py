"""Versions and periods: the versions of one delaftale follow each other, and an approved
version (or the budget of a plan with one) states every amount."""

from __future__ import annotations

import re

from generator.base.problems import Problem
from generator.model.delaftale import DelaftaleBase, Dokumentstatus
from generator.model.tables import UKENDT, Summetabel
from generator.model.walk import walk
from generator.source.sourcefiles import Sources, versions_by_agreement


def check_periods(sources: Sources) -> list[Problem]:
    """The versions of one delaftale follow each other: no two start the same day, none overlaps."""
    problems = []
    for items in versions_by_agreement(sources).values():
        for earlier, later in zip(items, items[1:]):
            a, b = earlier.model, later.model
            if a.gyldig_fra == b.gyldig_fra:  # type: ignore[union-attr]
                problems.append(
                    later.at(
                        ("gyldig_fra",),
                        f"en anden version af samme delaftale ({earlier.shown}) har "
                        "samme gyldig_fra — hver version skal have sin egen startdato",
                    )
                )
            elif b.gyldig_fra <= a.gyldig_til:  # type: ignore[union-attr]
                problems.append(
                    later.at(
                        ("gyldig_fra",),
                        f"perioden overlapper den forrige version ({earlier.shown}), "
                        f"der gælder til {a.gyldig_til.isoformat()} — sæt gyldig_til i den "  # type: ignore[union-attr]
                        f"forrige version til dagen før {b.gyldig_fra.isoformat()}",
                    )
                )  # type: ignore[union-attr]
    return problems


_UNKNOWN = re.compile(UKENDT, re.I)


def check_unknown_amounts(sources: Sources) -> list[Problem]:
    """An amount may be ``ukendt`` in a draft or a version in consultation; an approved version
    binds the parties to its budget, so it states every amount. A plan's own budget (2013
    generation) may hold unknown amounts only while none of its delaftaler is approved."""
    approved: dict[str, str] = {}
    for item in sources.versions:
        if item.model.status is Dokumentstatus.GODKENDT:  # type: ignore[union-attr]
            approved.setdefault(item.model.plan, item.model.id)  # type: ignore[union-attr]
    problems = []
    for item in list(sources.versions) + list(sources.plans.values()):
        if item.doc is None or "raekker" not in item.doc.text or not _UNKNOWN.search(item.doc.text):
            continue  # files without a table of amounts (the word is common in agreement text): not walked
        model = item.model
        if isinstance(model, DelaftaleBase):
            if model.status is not Dokumentstatus.GODKENDT:
                continue
            why = (
                "er kun tilladt i et udkast eller en version i høring — en godkendt version skal have alle beløb: "
                "skriv beløbet (eller sæt 'status: udkast', indtil det kendes)"
            )
        else:
            if model.id not in approved:  # type: ignore[union-attr]
                continue
            why = (
                f"er kun tilladt, mens ingen af planens delaftaler er godkendt — delaftalen "
                f"'{approved[model.id]}' er godkendt, så planens budget skal have alle beløb: skriv beløbet"
            )  # type: ignore[union-attr]
        for loc, table in walk(model):
            if isinstance(table, Summetabel):
                problems += [item.at((*loc, *where), f"'ukendt' {why}") for where in table.ukendte]
    return problems
