"""Hostile YAML: a 1 KB file of nested aliases ("billion laughs") would expand to 10^10 values.

Anchors and aliases are refused, located, before anything is expanded: `delaftale validate` and
`mkdocs build` answer at once. The guards are generous (a time limit on the test, an address
space limit on the process) and only there to turn a hang into a failure; nothing is timed.
"""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

AGREEMENT_IN_FIXTURE = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"

LAUGHS = "\n".join(
    ["id: latter", 'a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    + ["indsatsomraade: *a9", ""]
)
MEMORY = 2 * 1024**3  # far below what expanding the file would take


def _limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _run(project, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=project.root, capture_output=True, text=True, timeout=120, preexec_fn=_limited
    )


def test_the_file_is_small_and_would_expand_enormously():
    assert len(LAUGHS.encode()) < 1024
    assert LAUGHS.count("*a") == 91  # 10^10 strings once expanded


@pytest.mark.timeout(300)
def test_validate_refuses_anchors_and_aliases_with_their_lines_and_every_other_problem(project):
    project.write("solbakken/latter/2024-01-01.yaml", LAUGHS)
    project.edit(AGREEMENT_IN_FIXTURE, "baseline_aar: 2022", "baseline_aar: 2O22")  # a problem in another file
    result = _run(project, "-m", "generator.cli", "validate", "--mappe", "agreements")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    shown = "agreements/solbakken/latter/2024-01-01.yaml"
    assert (
        f"  {shown}:2: ankeret '&a0' navngiver en værdi til gentagelse, men aftaler bruger ikke YAML-ankre og "
        "-aliaser — slet '&a0' og skriv teksten ud de steder, den skal stå"
    ) in lines
    assert (
        f"  {shown}:3: aliaset '*a0' gentager en anden værdi, men aftaler bruger ikke YAML-aliaser — skriv "
        "teksten ud her (skulle * fremhæve et ord, så sæt hele værdien i anførselstegn)"
    ) in lines
    assert f"  {shown}:12: aliaset '*a9' gentager en anden værdi" in result.stderr
    assert sum(shown in line for line in lines) == 10 + 10  # each anchor once, each line's alias once
    assert f"agreements/{AGREEMENT_IN_FIXTURE}:25: delmaal[0].indikatorer[0].baseline_aar: '2O22'" in result.stderr


@pytest.mark.timeout(300)
def test_a_build_refuses_them_too_and_keeps_the_site(project):
    assert project.build_here().returncode == 0
    before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    project.write("solbakken/latter/2024-01-01.yaml", LAUGHS)
    result = _run(project, "-m", "mkdocs", "build", "--strict")
    assert result.returncode != 0
    assert "agreements/solbakken/latter/2024-01-01.yaml:12: aliaset '*a9'" in result.stderr
    assert "Intet er bygget; det tidligere site er uændret." in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()} == before
