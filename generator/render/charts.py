"""Indicators over time: a small static SVG chart and the same numbers as a table.

The chart is drawn from the numbers only (baseline when it is a number with a year, the
measurements, the target), as plain SVG: no script, nothing from other hosts, and the same
bytes for the same numbers (coordinates are rounded and written the same way every time).

Pages are sanitised after conversion (sanitize.py allows no SVG: authors never write any), so
the chart is not part of the page's Markdown: the page carries a marker, and the SVG, built
here with every author text escaped, replaces the marker after sanitising (pagehtml.convert).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from generator.base.typography import danish_date
from generator.model.fields import danish_number
from generator.model.indicators import Indikator, Maalserie, baseline_number

WIDTH, HEIGHT = 320, 168
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 14, 30  # room for the axis labels


@dataclass(frozen=True)
class Point:
    label: str  # 'Baseline', '2024', '1. marts 2024', 'Mål'
    when: float  # years, for the x axis
    value: Decimal | None  # None: a text measurement
    shown: str  # the value as the table shows it: '64 %' or the text
    source: str = ""
    note: str = ""
    kind: str = "maaling"  # 'baseline', 'maaling' or 'maal'


def _years(when: int | date) -> float:
    if isinstance(when, date):
        return when.year + (when.timetuple().tm_yday - 1) / 366
    return float(when)


def _time_label(when: int | date) -> str:
    return danish_date(when) if isinstance(when, date) else str(when)


def with_unit(value: Decimal, unit: str | None) -> str:
    return danish_number(value) + (f" {unit}" if unit else "")


def points(indicator: Indikator, series: Maalserie) -> list[Point]:
    """Baseline, measurements in time order, target: what the chart and its table show."""
    found: list[Point] = []
    base = baseline_number(indicator)
    if indicator.baseline is not None and indicator.baseline_aar is not None:
        found.append(
            Point(
                f"Baseline {indicator.baseline_aar}",
                float(indicator.baseline_aar),
                base,
                indicator.baseline,
                indicator.datakilde or "",
                "",
                "baseline",
            )
        )
    for m in sorted(series.maalinger, key=lambda m: _years(m.tid)):
        shown = with_unit(m.vaerdi, series.enhed) if m.vaerdi is not None else (m.tekst or "")
        found.append(Point(_time_label(m.tid), _years(m.tid), m.vaerdi, shown, m.kilde or "", m.note or ""))
    if series.maal is not None:
        year = series.maal_aar
        found.append(
            Point(
                f"Mål{f' {year}' if year else ''}",
                float(year) if year else found[-1].when if found else 0.0,
                series.maal,
                with_unit(series.maal, series.enhed),
                "",
                "",
                "maal",
            )
        )
    return found


def has_chart(indicator: Indikator, series: Maalserie) -> bool:
    """A chart needs a measured number; text measurements are shown in the table only."""
    return any(m.vaerdi is not None for m in series.maalinger)


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def svg(indicator: Indikator, series: Maalserie, ident: str) -> str:
    """The chart as inline SVG (role="img", its <title> and <desc> name and tell the numbers)."""
    shown = [p for p in points(indicator, series) if p.value is not None]
    values = [float(p.value) for p in shown]  # type: ignore[arg-type]
    low, high = min(0.0, *values), max(values)
    high = high + (high - low) * 0.1 or 1.0
    times = [p.when for p in shown]
    first, last = min(times), max(times)
    span = (last - first) or 1.0

    def x(when: float) -> float:
        return LEFT + (when - first) / span * (WIDTH - LEFT - RIGHT) if last > first else (LEFT + WIDTH - RIGHT) / 2

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    unit = series.enhed or ""
    description = "; ".join(f"{p.label}: {p.shown}" for p in shown)
    title = f"Udvikling: {indicator.tekst}"
    out = [
        f'<svg class="indikatorgraf-svg" role="img" aria-labelledby="{ident}-titel {ident}-beskrivelse" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{ident}-titel">{escape(title)}</title>',
        f'<desc id="{ident}-beskrivelse">{escape(description)}.</desc>',
    ]
    bottom, right = HEIGHT - BOTTOM, WIDTH - RIGHT
    out.append(
        f'<g class="akser" stroke="#757575" stroke-width="1"><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" '
        f'y2="{bottom}"/><line x1="{LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}"/></g>'
    )
    label = 'font-size="11" fill="#424242" font-family="sans-serif"'
    for value in (low, high):
        out.append(
            f'<text x="{LEFT - 4}" y="{_fmt(y(value) + 4)}" text-anchor="end" {label}>'
            f"{escape(danish_number(Decimal(_fmt(value))))}{escape(' ' + unit if unit == '%' else '')}</text>"
        )
    for when, anchor in ((first, "start"), (last, "end")) if last > first else ((first, "middle"),):
        out.append(f'<text x="{_fmt(x(when))}" y="{HEIGHT - 10}" text-anchor="{anchor}" {label}>{int(when)}</text>')
    line = [p for p in shown if p.kind != "maal"]
    if len(line) > 1:
        coords = " ".join(f"{_fmt(x(p.when))},{_fmt(y(float(p.value)))}" for p in line)  # type: ignore[arg-type]
        out.append(f'<polyline points="{coords}" fill="none" stroke="#303f9f" stroke-width="2"/>')
    for p in line:
        fill = "#ffffff" if p.kind == "baseline" else "#303f9f"
        out.append(
            f'<circle cx="{_fmt(x(p.when))}" cy="{_fmt(y(float(p.value)))}" r="4" fill="{fill}" '  # type: ignore[arg-type]
            f'stroke="#303f9f" stroke-width="2"/>'
        )
    for p in shown:
        if p.kind == "maal":
            ty = _fmt(y(float(p.value)))  # type: ignore[arg-type]
            out.append(
                f'<line x1="{LEFT}" y1="{ty}" x2="{right}" y2="{ty}" stroke="#b71c1c" stroke-width="1.5" '
                f'stroke-dasharray="5 4"/>'
            )
            out.append(f'<text x="{right}" y="{_fmt(float(ty) - 4)}" text-anchor="end" {label}>Mål</text>')
    out.append("</svg>")
    return "".join(out)


def marker(ident: str) -> str:
    """Where the chart goes in the page; replaced by the SVG after sanitising."""
    return f'<div class="graf" id="{ident}"></div>'


def table(indicator: Indikator, series: Maalserie, caption: str) -> str:
    """The chart's numbers (and the text measurements) as a table, with escaped author text."""
    rows = []
    for p in points(indicator, series):
        head = escape(p.label)
        rows.append(
            f'<tr role="row" class="punkt-{p.kind}"><th scope="row" role="rowheader">{head}</th>'
            f'<td role="cell" data-label="Værdi">{escape(p.shown)}</td>'
            f'<td role="cell" data-label="Kilde">{escape(p.source)}</td>'
            f'<td role="cell" data-label="Note">{escape(p.note)}</td></tr>'
        )
    return (
        f'<div class="tabel-scroll" role="region" aria-label="{escape(caption)}" tabindex="0">\n'
        f'<table class="indikatortabel maalingstabel" role="table">\n<caption>{escape(caption)}</caption>\n'
        '<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Tidspunkt</th>'
        '<th scope="col" role="columnheader">Værdi</th><th scope="col" role="columnheader">Kilde</th>'
        '<th scope="col" role="columnheader">Note</th></tr></thead>\n'
        f'<tbody role="rowgroup">{"".join(rows)}</tbody>\n</table>\n</div>'
    )


def figure(indicator: Indikator, series: Maalserie, inserts: dict[str, str]) -> str:
    """An indicator's measurements on its page: the chart (when there are numbers: its SVG is put
    into ``inserts`` under its marker) and the table. Returns the page's HTML block."""
    ident = f"graf-{indicator.id}"
    parts = [f'<div class="indikatorgraf">\n<p class="grafoverskrift"><strong>{escape(indicator.tekst)}</strong></p>']
    if has_chart(indicator, series):
        inserts[marker(ident)] = svg(indicator, series, ident)
        parts.append(marker(ident))
    parts.append(table(indicator, series, f"Målinger: {indicator.tekst}"))
    parts.append("</div>")
    return "\n".join(parts)


def latest(series: Maalserie | None):
    """The newest measurement of a series, or None."""
    if series is None or not series.maalinger:
        return None
    return max(series.maalinger, key=lambda m: _years(m.tid))


@dataclass
class SharedIndicator:
    """One indicator that several plans measure (the same text, or a shared id), per plan."""

    tekst: str
    rows: list  # (agreement, indicator, latest measurement as text or "")
    keys: set


def _normal(text: str) -> str:
    return " ".join(text.replace("&", " og ").casefold().split())


def shared_indicators(area) -> list[SharedIndicator]:
    """The indicators of a focus area's current agreements that more than one plan has, each
    with every plan's baseline and latest measurement (for the focus-area overview)."""
    groups: list[SharedIndicator] = []
    for agreement in area.agreements:
        for goal in getattr(agreement.current.model, "delmaal", []):
            for indicator in goal.indikatorer:
                keys = {("tekst", _normal(indicator.tekst))} | ({("id", indicator.id)} if indicator.id else set())
                series = agreement.measurements.get(indicator.id) if indicator.id else None
                newest = latest(series)
                shown = ""
                if newest is not None:
                    value = with_unit(newest.vaerdi, series.enhed) if newest.vaerdi is not None else newest.tekst
                    shown = f"{value} ({_time_label(newest.tid)})"
                matching = [g for g in groups if g.keys & keys]
                group = matching[0] if matching else SharedIndicator(indicator.tekst, [], set())
                if not matching:
                    groups.append(group)
                for other in matching[1:]:  # the indicator joins groups: one group
                    group.rows += other.rows
                    group.keys |= other.keys
                    groups.remove(other)
                group.keys |= keys
                group.rows.append((agreement, indicator, shown))
    return [g for g in groups if len({a.plan.plan.id for a, _, _ in g.rows}) > 1]
