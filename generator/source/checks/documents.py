"""What holds within one document: ids unique in each list, footnote marks that name a
footnote, one role per party, and a ``disposition`` that fits its generation's outline."""

from __future__ import annotations

from generator.base.problems import Problem
from generator.model import outline
from generator.model.delaftale import DelaftaleBase
from generator.model.fields import suggest_id
from generator.model.indicators import Fodnote
from generator.model.messages import unknown
from generator.model.parties import Rolle
from generator.model.plan import Plan, PlanDokument
from generator.model.walk import nested_fields, walk
from generator.source.checks.passes import per_file, valid_files
from generator.source.sourcefiles import Sources


@per_file
def check_unique_ids(sources: Sources) -> list[Problem]:
    """In every list of things with ids (parties, activities, footnotes, …) each id is used once."""
    problems = []
    for item in valid_files(sources):
        for loc, model in walk(item.model):  # type: ignore[arg-type]
            for name in nested_fields(type(model)):
                value = getattr(model, name)
                if not isinstance(value, list):
                    continue
                seen: dict[str, int] = {}
                for i, element in enumerate(value):
                    ident = getattr(element, "id", None)
                    if not isinstance(ident, str):
                        continue
                    if ident in seen:
                        what = getattr(type(element), "bestemt", "den")
                        problems.append(
                            item.at(
                                (*loc, name, i, "id"),
                                f"id '{ident}' er allerede brugt af {name}[{seen[ident]}] — giv {what} sit eget id",
                            )
                        )
                    seen.setdefault(ident, i)
    return problems


@per_file
def check_footnotes(sources: Sources) -> list[Problem]:
    """A footnote mark in a table names a footnote of the same agreement."""
    problems = []
    for item in sources.versions:
        notes = [n.id for n in getattr(item.model, "fodnoter", []) if isinstance(n, Fodnote)]
        for loc, model in walk(item.model):  # type: ignore[arg-type]
            refs = getattr(model, "fodnoter", [])
            for n, ref in enumerate(refs):
                if isinstance(ref, str) and ref not in notes:
                    problems.append(
                        item.at(
                            (*loc, "fodnoter", n),
                            "fodnoten " + unknown("fodnoter", ref, notes) + " — tilføj den under 'fodnoter:'",
                        )
                    )
    return problems


@per_file
def check_one_role_per_party(sources: Sources) -> list[Problem]:
    """Within one list of roles, a party has one role: its duties are gathered there."""
    problems = []
    for item in valid_files(sources):
        for loc, model in walk(item.model):  # type: ignore[arg-type]
            roles = getattr(model, "roller", None)
            if not isinstance(roles, list):
                continue
            holders: dict[str, int] = {}
            for r, role in enumerate(roles):
                if not isinstance(role, Rolle):
                    continue
                holder = role.part or suggest_id(role.navn or "")
                if holder in holders:
                    problems.append(
                        item.at(
                            (*loc, "roller", r),
                            f"parten har allerede en rolle her "
                            f"(roller[{holders[holder]}]) — saml opgaverne under én rolle",
                        )
                    )
                else:
                    holders[holder] = r
    return problems


def check_outlines(sources: Sources) -> list[Problem]:
    """A document's own outline (``disposition``) names each of its generation's sections at most
    once, by a key that exists, and leaves out none that holds text (generator/model/outline.py)."""
    problems = []
    for item in valid_files(sources):
        model = item.model
        if isinstance(model, Plan):
            model, prefix = model.dokument, ("dokument",)
        else:
            prefix = ()
        if model is None or not isinstance(model, (DelaftaleBase, PlanDokument)):
            continue
        problems += [item.at((*prefix, *loc), message) for loc, message in outline.problems(model)]
    return problems
