"""Validity periods and dates as agreements write them."""

from datetime import date

import pytest

from generator.importer.dates import parse_dates, parse_period


@pytest.mark.parametrize(
    "written, period",
    [
        ("1 juni 2021 – 31. maj 2025", (date(2021, 6, 1), date(2025, 5, 31))),
        ("1. juni 2021 - 31. maj 2025", (date(2021, 6, 1), date(2025, 5, 31))),
        ("01.10.21 – 30.09.25", (date(2021, 10, 1), date(2025, 9, 30))),
        ("01.01.2018-31.12.2021", (date(2018, 1, 1), date(2021, 12, 31))),
        ("1/1-2024 til 31/12-2027", (date(2024, 1, 1), date(2027, 12, 31))),
        ("2021-06-01 – 2025-05-31", (date(2021, 6, 1), date(2025, 5, 31))),
        ("1. jan. 2019 – 31. dec. 2022", (date(2019, 1, 1), date(2022, 12, 31))),
        ("Lejerbo Københavns boligsociale indsats i Valby 2013– 2016", (date(2013, 1, 1), date(2016, 12, 31))),
    ],
)
def test_periods_written_any_way(written, period):
    assert parse_period(written) == period


@pytest.mark.parametrize("written", ["", "fra juni til maj", "31. maj 2025 – 1. juni 2021", "2025–2021"])
def test_no_period_is_invented(written):
    assert parse_period(written) is None


def test_impossible_dates_are_skipped():
    assert parse_dates("31.02.21 og 01.03.21") == [date(2021, 3, 1)]
