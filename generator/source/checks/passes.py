"""How a check runs: a pass is ``Sources -> problems``; :func:`per_file` and :func:`per_version`
keep a file-local pass's findings with the file, so an unchanged file is not walked again."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from generator.base.problems import Problem
from generator.source.sourcefiles import SourceFile, Sources

Pass = Callable[[Sources], list[Problem]]


def per_file(check: Pass) -> Pass:
    """``check`` run on each valid file alone, its findings kept with the file. Only for passes
    whose problems in a file depend on nothing but that file (no other file, no published
    record): at 1,000 agreements, walking every model again was half of a preview's rebuild."""
    return _kept_with_file(check, lambda sources, item: (None, [item]))


def per_version(check: Pass) -> Pass:
    """:func:`per_file` for a pass over versions that looks up their plan (``sources.plans``):
    each version is checked with its plan file, and again only when that file changes."""

    def scope(sources: Sources, item: SourceFile) -> tuple[object, list[SourceFile]]:
        plan = sources.plans.get(item.model.plan) if item.kind == "version" else None  # type: ignore[union-attr]
        return (None, [item]) if plan is None else ((plan.path, plan.stat), [plan, item])

    return _kept_with_file(check, scope)


def _kept_with_file(check: Pass, scope: Callable[[Sources, SourceFile], tuple[object, list[SourceFile]]]) -> Pass:
    """``check`` on each valid file within ``scope`` (the state its findings hold for, and the
    files it sees), kept with the file while that state stays the same."""

    @functools.wraps(check)
    def run(sources: Sources) -> list[Problem]:
        found: list[Problem] = []
        for item in valid_files(sources):
            state, files = scope(sources, item)
            kept = item.findings.get(check.__name__)
            if kept is None or kept[0] != state:
                kept = item.findings[check.__name__] = (state, check(Sources(sources.folder, files, {})))
            found += kept[1]
        return found

    return run


def valid_files(sources: Sources) -> Iterator[SourceFile]:
    """The files that validated: the only ones a pass looks at."""
    return (f for f in sources.files if f.model is not None)
