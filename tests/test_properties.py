"""Property-based tests: whatever an author's file contains, the loader answers with a valid
corpus (which then renders) or with located Danish problems — never an escaping exception."""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import FIXTURE, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.base.problems import DelaftaleError, Problem
from generator.corpus import load_corpus
from generator.model.delaftale import GENERATIONS
from generator.model.plan import Plan
from generator.render.renderer import Renderer

PLAN = "solbakken/plan.yaml"
AGREEMENT = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"
SOURCES = {name: (FIXTURE / "agreements" / name).read_text(encoding="utf-8") for name in (PLAN, AGREEMENT)}
RENDERER = Renderer(REPO / "templates")
PROFILE = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Keys authors could plausibly type: every field name of every model, plus near-misses.
FIELD_NAMES = sorted(
    {name for model in (*GENERATIONS.values(), Plan) for name in model.model_fields}
    | {"indikatore", "formal", "roller", "opgaver", "part", "navn", "tekst", "id"}
)


def outcome(files: dict[str, str]) -> None:
    """Load files; assert the only outcomes are a rendered corpus or Danish, located problems."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "agreements"
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        try:
            corpus = load_corpus(folder, root=Path(tmp))
        except DelaftaleError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert isinstance(problem, Problem)
                assert problem.file.startswith("agreements/")
                assert problem.message and "Traceback" not in problem.message
            return
        RENDERER.render_corpus(corpus)  # a valid corpus must render


@PROFILE
@given(st.text(max_size=400))
def test_any_text_as_an_agreement(text):
    outcome({PLAN: SOURCES[PLAN], AGREEMENT: text})


@PROFILE
@given(st.text(max_size=400))
def test_any_text_as_a_plan(text):
    outcome({PLAN: text, AGREEMENT: SOURCES[AGREEMENT]})


def _mutate(text: str, data) -> str:
    lines = text.splitlines()
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        kind = data.draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "char", "truncate", "swap"]))
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "indent":
            lines[i] = " " * data.draw(st.integers(1, 3)) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i].lstrip()
        elif kind == "char" and lines[i]:
            j = data.draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = (
                lines[i][:j]
                + data.draw(st.sampled_from([":", "-", "'", '"', "#", "&", "*", "\t", "|", "ø", "0", "{", "["]))
                + lines[i][j + 1 :]
            )
        elif kind == "truncate":
            lines = lines[: i + 1]
        elif kind == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        if not lines:
            break
    return "\n".join(lines) + "\n"


@PROFILE
@given(st.data())
def test_mutated_real_files(data):
    target = data.draw(st.sampled_from([PLAN, AGREEMENT]))
    outcome({**SOURCES, target: _mutate(SOURCES[target], data)})


scalars = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-5, 3000),
    st.booleans(),
    st.sampled_from(["2024-01-01", "2024-02-30", "2O18", "politiet", "effekt", "aktivitetsnaer"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=3)
    ),
    max_leaves=8,
)


@PROFILE
@given(st.data())
def test_structurally_perturbed_agreements(data):
    """Replace, delete or add fields anywhere in the parsed agreement, then dump it as YAML."""
    tree = copy.deepcopy(yaml.safe_load(SOURCES[AGREEMENT]))
    for _ in range(data.draw(st.integers(1, 3))):
        node = tree
        while isinstance(node, (dict, list)) and node and data.draw(st.booleans()):
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            child = node[data.draw(st.sampled_from(keys))]
            if not isinstance(child, (dict, list)) or not child:
                break
            node = child
        if isinstance(node, dict) and node:
            key = data.draw(st.sampled_from(sorted(node)))
            action = data.draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                node[key] = data.draw(values)
            elif action == "delete":
                del node[key]
            else:
                node[data.draw(st.sampled_from(FIELD_NAMES))] = data.draw(values)
        elif isinstance(node, list) and node:
            node[data.draw(st.integers(0, len(node) - 1))] = data.draw(values)
    outcome({PLAN: SOURCES[PLAN], AGREEMENT: yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)})


def test_fixture_itself_passes_through_outcome():
    """Guard for the properties above: the unmutated sources load and render."""
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(FIXTURE / "agreements", Path(tmp) / "agreements")
        corpus = load_corpus(Path(tmp) / "agreements")
        assert RENDERER.render_corpus(corpus)
