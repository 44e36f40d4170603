"""Work shared with a second process (parallel.py), alone."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from generator.base.parallel import MINIMUM_ITEMS, ONE_PROCESS, SecondProcessDied, in_two
from generator.base.problems import DelaftaleError, Problem


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


# A second process that dies: the parent says so in Danish (a DelaftaleError), never EOFError.


def _parent_pid_then(action):
    parent = os.getpid()

    def task(items):
        if os.getpid() != parent:
            action()
        return items

    return task


def _segfault():
    import ctypes
    import faulthandler

    faulthandler.disable()  # pytest's would print the stack of a crash that is meant to happen
    ctypes.string_at(0)


@pytest.mark.parametrize(
    "action, said",
    [
        (
            lambda: os.kill(os.getpid(), signal.SIGKILL),
            "blev stoppet af signal 9 (SIGKILL); det sker fx, når maskinen løber tør for hukommelse",
        ),
        (lambda: os._exit(3), "stoppede med status 3 uden at svare"),
        (_segfault, "blev stoppet af signal 11 (SIGSEGV)"),
    ],
    ids=["killed", "exited", "segfault"],
)
def test_a_second_process_that_dies_is_a_danish_problem(action, said):
    with pytest.raises(SecondProcessDied) as caught:
        in_two(_parent_pid_then(action), list(range(MINIMUM_ITEMS * 2)))
    assert isinstance(caught.value, DelaftaleError)
    assert f"bygning: den anden proces, der deler arbejdet, {said} — prøv igen" in caught.value.report()
    assert "DELAFTALER_EN_PROCES=1" in caught.value.report()


def test_one_process_when_asked(monkeypatch):
    monkeypatch.setenv(ONE_PROCESS, "1")
    assert in_two(_squares_and_pids, list(range(MINIMUM_ITEMS * 2))) == [
        [(i * i, os.getpid()) for i in range(MINIMUM_ITEMS * 2)]
    ]


# Through the real commands: the function the plugin (or the loader) shares out kills its own
# process in the second half; the command must print the Danish problem, and the site stay.
KILLING = """
import os, signal, sys
import generator.{module} as target
parent, real = os.getpid(), target.{function}
def dying(*args, **kwargs):
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
target.{function} = dying
sys.argv = {argv!r}
{run}
"""


@pytest.fixture
def many(generated, tmp_path):
    from conftest import Project

    shutil.copytree(generated.root, tmp_path / "projekt", symlinks=True)
    return Project(tmp_path / "projekt")


def _hashes(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow  # builds the 80 agreements of `generated`
def test_a_build_whose_second_process_dies_says_so_and_keeps_the_site(many):
    before = _hashes(many.site)
    script = KILLING.format(
        module="publish.supervisor",
        function="_convert_all",
        argv=["mkdocs", "build", "--strict"],
        run="from mkdocs.__main__ import cli; cli()",
    )
    result = many.run("-c", script)
    assert result.returncode != 0
    assert "den anden proces, der deler arbejdet, blev stoppet af signal 9 (SIGKILL)" in result.stderr
    assert "Traceback" not in result.stderr and "EOFError" not in result.stderr
    assert _hashes(many.site) == before


@pytest.mark.slow  # builds the 80 agreements of `generated`
def test_validate_whose_second_process_dies_says_so(many):
    script = KILLING.format(
        module="source.loading",
        function="read_file",
        argv=["delaftale", "validate"],
        run="from generator.cli import main; sys.exit(main())",
    )
    result = many.run("-c", script)
    assert result.returncode == 1
    assert result.stderr.startswith("1 fejl i 1 fil:\n  bygning: den anden proces, der deler arbejdet, blev stoppet")
    assert "Traceback" not in result.stderr
