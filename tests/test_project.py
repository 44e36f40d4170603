"""Project conventions that are easy to break silently."""

from __future__ import annotations

import re

from conftest import REPO


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == test_command


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("---")]
    assert "mkdocs build --strict" in head and "python3 -m pytest" in head
