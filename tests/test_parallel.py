"""Work shared with a second process (parallel.py), alone."""

from __future__ import annotations

import os

import pytest

from generator.errors import DelaftaleError, Problem
from generator.parallel import MINIMUM_ITEMS, in_two


def _squares_and_pids(items):
    return [(item * item, os.getpid()) for item in items]


def test_two_halves_computed_in_two_processes_give_the_single_process_result():
    items = list(range(MINIMUM_ITEMS * 3))
    shares = in_two(_squares_and_pids, items)
    assert len(shares) == 2
    assert [square for share in shares for square, _ in share] == [i * i for i in items]
    assert {pid for _, pid in shares[0]} == {os.getpid()}
    assert {pid for _, pid in shares[1]} != {os.getpid()}  # really another process


def test_little_work_stays_in_this_process():
    assert in_two(_squares_and_pids, [1, 2, 3]) == [[(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]]


def _fails_in_second_half(items):
    if items[0] >= MINIMUM_ITEMS:
        raise DelaftaleError([Problem("agreements/a.yaml", 3, "navn", "feltet mangler")])
    return items


def test_problems_found_in_the_second_process_reach_the_author_intact():
    with pytest.raises(DelaftaleError) as caught:
        in_two(_fails_in_second_half, list(range(MINIMUM_ITEMS * 2)))
    assert caught.value.problems == [Problem("agreements/a.yaml", 3, "navn", "feltet mangler")]
    assert "agreements/a.yaml:3: navn: feltet mangler" in caught.value.report()
