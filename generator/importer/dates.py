"""Dates as agreements write them: '1 juni 2021', '1. juni 2021', '01.10.21', '1/10-2021', '2021-06-01'."""

from __future__ import annotations

import re
from datetime import date

from generator.base.typography import MONTHS as DANISH_MONTHS

MONTHS = {name[:3]: number for number, name in enumerate(DANISH_MONTHS, 1)}  # 'jan' -> 1 (full names start so)
_NAMED = (
    r"(\d{1,2})\.?\s*("
    + "|".join([*DANISH_MONTHS, *(m for m in MONTHS if m != "maj"), "sept"])
    + r")\.?\s*(\d{4}|\d{2})"
)
_NUMERIC = r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})"
_ISO = r"(\d{4})-(\d{2})-(\d{2})"
_ONE = rf"(?:{_ISO}|{_NAMED}|{_NUMERIC})"


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _one(found: tuple) -> date:
    iso, named, numeric = found[0:3], found[3:6], found[6:9]
    if iso[0]:
        return date(int(iso[0]), int(iso[1]), int(iso[2]))
    if named[0]:
        return date(_year(named[2]), MONTHS[named[1][:3]], int(named[0]))
    return date(_year(numeric[2]), int(numeric[1]), int(numeric[0]))


def parse_dates(text: str) -> list[date]:
    """Every date in ``text``, in order; impossible dates ('31.02.21') are skipped."""
    dates = []
    for found in re.findall(_ONE, text.lower()):
        try:
            dates.append(_one(found))
        except (ValueError, KeyError):
            continue
    return dates


def parse_period(text: str) -> tuple[date, date] | None:
    """The validity period in a line like '1 juni 2021 – 31. maj 2025' or '01.10.21 – 30.09.25'."""
    dates = parse_dates(text)
    if len(dates) >= 2 and dates[0] <= dates[1]:
        return dates[0], dates[1]
    years = re.findall(r"\b(19\d\d|20\d\d)\b", text)
    if len(dates) < 2 and len(years) >= 2 and years[0] <= years[1]:  # '2013-2017': whole years
        return date(int(years[0]), 1, 1), date(int(years[1]), 12, 31)
    return None
