"""Symbolic links in the source folders that lead out of the project.

MkDocs and the loader follow links: a link under ``agreements/``, ``templates/`` or ``docs/``
to a file outside the project (``/etc/passwd``, a key in the home folder) would be read,
published in the site and, on an error, quoted in the logs. A pull request can commit such a
link, and CI logs and previews are public. So every source folder is checked before anything
in it is read; the problem names the link, never what it leads to.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.base.problems import DelaftaleError, Problem

LINK = (
    "er et symbolsk link, der fører uden for projektmappen — det, linket fører til, ville blive "
    "læst og offentliggjort; læg selve filen (eller mappen) i projektet i stedet for linket, eller slet linket"
)
FOLDER = "mappen ligger uden for projektmappen — flyt den ind i projektet (ved siden af mkdocs.yml)"


def links_leading_outside(root: Path, folders: Iterable[Path]) -> DelaftaleError | None:
    """The links under ``folders`` (and the folders themselves) whose target lies outside ``root``,
    as one error listing each of them; None when every link stays inside.

    Links that stay inside are followed (what they lead to is checked too); each real folder is
    visited once, so a link loop ends."""
    boundary = os.path.realpath(root)
    problems: list[Problem] = []
    visited: set[str] = set()

    def inside(path: str) -> bool:
        return os.path.commonpath([boundary, os.path.realpath(path)]) == boundary

    def refuse(path: str, message: str = LINK) -> None:
        # The path as walked, not resolved: the problem must not tell what lies outside.
        shown = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
        problems.append(Problem(shown, None, "", message))

    for folder in folders:
        if not os.path.lexists(folder):
            continue  # missing folders are reported by whoever reads them
        if not inside(folder):
            lexically_inside = not os.path.relpath(os.path.abspath(folder), os.path.abspath(root)).startswith("..")
            refuse(str(folder), LINK if lexically_inside else FOLDER)
            continue
        pending = [str(folder)]
        while pending:
            current = pending.pop()
            real = os.path.realpath(current)
            if real in visited:
                continue
            visited.add(real)
            try:
                entries = list(os.scandir(current))
            except (NotADirectoryError, FileNotFoundError, PermissionError):
                continue
            for entry in entries:
                if entry.is_symlink() and not inside(entry.path):
                    refuse(entry.path)
                elif entry.is_dir(follow_symlinks=True):
                    pending.append(entry.path)
    return DelaftaleError(problems) if problems else None
