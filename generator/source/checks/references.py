"""References out of a text: `aftale:` links to other agreements, activities and focus areas,
and images beside the YAML."""

from __future__ import annotations

from generator.base.problems import Problem
from generator.model.messages import unknown
from generator.model.plan import Plan
from generator.model.walk import texts
from generator.source import crossrefs, figures
from generator.source.checks.passes import valid_files
from generator.source.sourcefiles import VOCABULARY_FILE, Sources, versions_by_agreement


def check_cross_references(sources: Sources) -> list[Problem]:
    """Every `[…](aftale:…)` reference names a delaftale (and an activity in it) or a focus area
    of the vocabulary that the plan has not published. A target whose own file has errors is
    said to have them, not to be missing."""
    grouped = versions_by_agreement(sources)
    areas = {a.id for a in sources.vocabulary.indsatsomraader} if sources.vocabulary else set()
    plans = sorted(sources.plan_files)
    problems = []
    for item in valid_files(sources):
        model = item.model
        own_plan = model.id if isinstance(model, Plan) else getattr(model, "plan", None)
        if own_plan is None or item.doc is None or not item.doc.may_reference_agreements:
            continue
        for loc, text in texts(model):  # type: ignore[arg-type]
            for match in crossrefs.MARKDOWN_REF.finditer(text):
                raw, anchor = match[2], match[3]
                shown = f"aftale:{raw}" + (f"#{anchor}" if anchor else "")
                line = item.doc.line_of_text(loc, f"(aftale:{raw}")

                def problem(message: str, item=item, loc=loc, shown=shown, line=line) -> None:
                    problems.append(item.at(loc, f"henvisningen '{shown}': {message}", line=line))

                target = crossrefs.parse(raw, anchor, own_plan)
                if target is None:
                    problems.append(
                        item.at(
                            loc,
                            f"henvisningen '{shown}' kan ikke læses — skriv "
                            "aftale:<delaftale>#<aktivitet> eller aftale:<plan>/<delaftale>#<aktivitet>",
                            line=line,
                        )
                    )
                    continue
                key = (target.plan, target.agreement)
                has_errors = key in sources.broken or (
                    target.plan in sources.plan_files and sources.plan_files[target.plan].model is None
                )
                if target.plan not in sources.plan_files:
                    problem("planen " + unknown("planer", target.plan, plans))
                elif key in grouped:
                    activities = sorted({a.id for v in grouped[key] for a in v.model.aktiviteter})  # type: ignore[union-attr]
                    if target.anchor and target.anchor not in activities:
                        problem(
                            f"delaftalen '{target.agreement}' har selv fejl, se ovenfor"
                            if has_errors
                            else "aktiviteten " + unknown("aktiviteter", target.anchor, activities)
                        )
                elif has_errors:
                    problem(f"delaftalen '{target.agreement}' har selv fejl, se ovenfor")
                elif target.agreement not in areas:
                    known = sorted({a for p, a in grouped if p == target.plan} | areas)
                    problem(
                        f"der er ingen delaftale '{target.agreement}' i planen '{target.plan}', og det er ikke et "
                        f"indsatsområde i {VOCABULARY_FILE} — "
                        + unknown("mål", target.agreement, known).split(" — ", 1)[1]
                    )
    return problems


def check_figures(sources: Sources) -> list[Problem]:
    """Every image in a text is a local file beside the YAML, with an alternative text (figures.py)."""
    problems = []
    for item in valid_files(sources):
        if item.kind not in ("plan", "version") or item.doc is None or "![" not in item.doc.text:
            continue  # most files have no figure: not walked
        for loc, text in texts(item.model):  # type: ignore[arg-type]
            for needle, message in figures.problems_in_text(text, item.path.parent):
                problems.append(item.at(loc, message, line=item.doc.line_of_text(loc, needle)))
    return problems
