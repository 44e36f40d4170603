"""Indicators and measurements: indicator ids, measurement files that measure indicators
their delaftale has, dates within the plan's life, baselines a chart can start from."""

from __future__ import annotations

from collections import Counter

from generator.base.problems import Problem
from generator.model.delaftale import DelaftaleBase
from generator.model.fields import MAX_NUMBER, danish_number
from generator.model.indicators import baseline_number
from generator.model.messages import format_loc, unknown
from generator.model.plan import Plan
from generator.source.checks.passes import per_file
from generator.source.sourcefiles import SourceFile, Sources, indicators, normal, versions_by_agreement


def check_indicator_ids(sources: Sources) -> list[Problem]:
    """An indicator's id names one indicator in its delaftale: unique in each version (across its
    delmål), and the same indicator keeps its id in every version (measurements follow it)."""
    problems = []
    for items in versions_by_agreement(sources).values():
        id_of_text: dict[str, tuple[str, SourceFile]] = {}
        for item in items:
            seen: dict[str, tuple] = {}
            texts_here = Counter(normal(i.tekst) for _, i in item.indicators)
            alike = {text for text, count in texts_here.items() if count > 1}
            for loc, indicator in item.indicators:
                if indicator.id is None:
                    continue
                if indicator.id in seen and seen[indicator.id][:-1] == loc[:-1]:
                    continue  # in the same list: check_unique_ids says so
                if indicator.id in seen:
                    problems.append(
                        item.at(
                            (*loc, "id"),
                            f"id '{indicator.id}' er allerede brugt af "
                            f"{format_loc(seen[indicator.id])} — giv indikatoren sit eget id",
                        )
                    )
                    continue
                seen[indicator.id] = loc
                earlier = id_of_text.get(normal(indicator.tekst))
                if (
                    earlier is not None
                    and earlier[0]
                    and earlier[0] != indicator.id
                    and normal(indicator.tekst) not in alike
                ):
                    problems.append(
                        item.at(
                            (*loc, "id"),
                            f"indikatoren har id '{earlier[0]}' i {earlier[1].shown} — "
                            f"en indikator beholder sit id i alle versioner: skriv id: {earlier[0]}",
                        )
                    )
            # Compared with earlier versions only, and only texts that name one indicator: two
            # indicators of one version may read alike.
            for text in alike:
                id_of_text[text] = ("", item)
            for _, indicator in item.indicators:
                if indicator.id is not None:
                    id_of_text.setdefault(normal(indicator.tekst), (indicator.id, item))
    return problems


def check_measurements(sources: Sources) -> list[Problem]:
    """maalinger.yaml lies beside a delaftale's versions and measures indicators it has (by id),
    each in one list."""
    grouped = versions_by_agreement(sources)
    problems = []
    for item in sources.measurements:
        key = item.parts[:2]
        if key not in grouped:
            if key not in sources.broken:
                problems.append(
                    item.at(
                        (),
                        f"der er ingen version af en delaftale i agreements/{key[0]}/{key[1]}/ — "  # type: ignore[index]
                        "målinger ligger ved siden af den delaftale, de måler",
                        line=1,
                    )
                )
            continue
        known = sorted({i.id for v in grouped[key] for _, i in v.indicators if i.id})
        seen: dict[str, int] = {}
        for n, series in enumerate(item.model.indikatorer):  # type: ignore[union-attr]
            loc = ("indikatorer", n, "indikator")
            if series.indikator in seen:
                problems.append(
                    item.at(
                        loc,
                        f"indikatoren '{series.indikator}' har allerede målinger i "
                        f"indikatorer[{seen[series.indikator]}] — saml dem i én liste",
                    )
                )
            elif series.indikator not in known:
                hint = "" if known else " (giv indikatoren et 'id:' i delaftalen)"
                problems.append(
                    item.at(
                        loc, "indikatoren " + unknown("indikator-id'er i delaftalen", series.indikator, known) + hint
                    )
                )
            seen.setdefault(series.indikator, n)
    return problems


#: How far outside the plan's life a measurement may lie: a baseline measured some years before a
#: plan starts, a follow-up some years after it ends. Nothing a plan measures lies decades away;
#: 0001-01-01 or 9999-12-31 is a typing error or a placeholder, and would stretch a chart's time
#: axis over millennia.
MEASUREMENT_MARGIN_YEARS = 10


def plan_lives(sources: Sources) -> dict[str, tuple[int, int]]:
    """Plan folder -> the first and last year of the plan's life: its stated period and every
    version of its delaftaler (gyldig_fra to gyldig_til)."""
    lives: dict[str, tuple[int, int]] = {}
    for folder, item in sources.plan_files.items():
        period = item.model.periode if isinstance(item.model, Plan) else None
        if period is not None:
            lives[folder] = (period.fra.year, period.til.year)
    for item in sources.versions:
        model: DelaftaleBase = item.model  # type: ignore[assignment]
        first, last = lives.get(item.parts[0], (model.gyldig_fra.year, model.gyldig_til.year))
        lives[item.parts[0]] = (min(first, model.gyldig_fra.year), max(last, model.gyldig_til.year))
    return lives


def check_measurement_dates(sources: Sources) -> list[Problem]:
    """A measurement lies within its plan's life, give or take MEASUREMENT_MARGIN_YEARS."""
    lives = plan_lives(sources)
    problems = []
    for item in sources.measurements:
        if item.parts[0] not in lives:
            continue  # no version to measure: check_measurements says so
        first, last = lives[item.parts[0]]
        low, high = first - MEASUREMENT_MARGIN_YEARS, last + MEASUREMENT_MARGIN_YEARS
        for n, series in enumerate(item.model.indikatorer):  # type: ignore[union-attr]
            for k, measurement in enumerate(series.maalinger):
                when = measurement.tid
                year = when if isinstance(when, int) else when.year
                if not low <= year <= high:
                    shown = str(when) if isinstance(when, int) else when.isoformat()
                    problems.append(
                        item.at(
                            ("indikatorer", n, "maalinger", k, "tid"),
                            (
                                f"målingen er fra {shown}, men planen løber {first}-{last}: en måling ligger højst "
                                f"{MEASUREMENT_MARGIN_YEARS} år før eller efter planens periode (år {low}-{high}) — ret årstallet "
                                "eller datoen"
                            ),
                        )
                    )
    return problems


@per_file
def check_baseline_numbers(sources: Sources) -> list[Problem]:
    """A baseline that starts with a number is a chart's first point (models.baseline_number): the
    number is held to the same limit as a measurement (models.MAX_NUMBER)."""
    problems = []
    for item in sources.versions:
        for loc, indicator in indicators(item.model):  # type: ignore[arg-type]
            number = baseline_number(indicator)
            if number is not None and not (number.is_finite() and abs(number) <= MAX_NUMBER):
                problems.append(
                    item.at(
                        (*loc, "baseline"),
                        (
                            f"baseline begynder med et tal med {len(f'{abs(number):f}'.partition('.')[0])} cifre, men et tal i "
                            f"en aftale kan højst være {danish_number(MAX_NUMBER)} (grafen over målingerne starter i baseline) "
                            "— ret tallet"
                        ),
                    )
                )
    return problems
