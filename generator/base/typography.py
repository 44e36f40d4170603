"""Small typographic helpers: footnote marks and dates as the agreements print them."""

from __future__ import annotations

from datetime import date

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(number: int | str) -> str:
    """3 -> '³': the agreements' own footnote markers, which read as marks, not as words."""
    return str(number).translate(_SUPERSCRIPT)


_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def plain_digits(marker: str) -> str:
    """'³' -> '3': a footnote marker as a number (documents write them superscript)."""
    return marker.translate(_PLAIN_DIGITS)


MONTHS = [
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
]


def danish_date(value: date) -> str:
    """2021-06-01 -> '1. juni 2021'."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
