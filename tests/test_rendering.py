"""Golden tests: the fixture's YAML in, the exact Markdown out (reviewable diffs).

Regenerate after an intended change with ``UPDATE_GOLDEN=1 python -m pytest tests/test_rendering.py``
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from conftest import FIXTURE, REPO

from generator.errors import DelaftaleError
from generator.loading import load_corpus
from generator.rendering import Renderer, danish_date

GOLDEN = Path(__file__).parent / "golden"


def rendered() -> dict[str, str]:
    corpus = load_corpus(FIXTURE / "agreements", reference_date=date(2025, 1, 1))
    return Renderer(REPO / "templates").render_corpus(corpus)


def test_pages_match_golden_files():
    pages = rendered()
    if os.environ.get("UPDATE_GOLDEN"):
        for uri, text in pages.items():
            (GOLDEN / uri).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / uri).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(expected)
    for uri, text in pages.items():
        assert text == expected[uri], f"{uri} differs from tests/golden/{uri}"


def test_indicator_table_groups_a_delmaal_over_its_indicators():
    page = rendered()["solbakken/tryghed-og-trivsel/index.md"]
    assert '<th scope="rowgroup" rowspan="2">Større oplevet tryghed</th>' in page
    assert '<span class="indikatortype">Aktivitetsnær indikator</span> Der afholdes 40 tryghedsvandringer' in page
    assert '<li id="fodnote-vive">Undersøgelsen gentages i 2026.</li>' in page


def test_danish_dates():
    assert danish_date(date(2021, 6, 1)) == "1. juni 2021"
    assert danish_date(date(2025, 12, 31)) == "31. december 2025"


def test_broken_template_is_a_located_problem(tmp_path):
    import shutil

    shutil.copytree(REPO / "templates", tmp_path / "templates")
    target = tmp_path / "templates" / "plan.md.j2"
    target.write_text(target.read_text(encoding="utf-8") + "\n{% for x in %}\n", encoding="utf-8")
    corpus = load_corpus(FIXTURE / "agreements", reference_date=date(2025, 1, 1))
    with pytest.raises(DelaftaleError) as info:
        Renderer(tmp_path / "templates").render_corpus(corpus)
    [problem] = info.value.problems
    assert problem.file.endswith("templates/plan.md.j2")
    assert problem.line == len(target.read_text(encoding="utf-8").splitlines())
    assert problem.message.startswith("fejl i skabelonen:")
