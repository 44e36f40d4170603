"""Problems found in agreement files, and the one exception that carries them.

Every check in the generator reports :class:`Problem` objects instead of raising on the
first one, so an author sees everything that is wrong in one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem, phrased in Danish for the author."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DelaftaleError(Exception):
    """Raised when agreement sources have problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field))
        super().__init__(self.report())

    def __reduce__(self):
        # Subclasses take other arguments; rebuild any of them from the problems (for results
        # that come back from a second process, see parallel.py).
        return _rebuild, (type(self), self.problems)

    def report(self) -> str:
        count = len(self.problems)
        files = len({p.file for p in self.problems})
        head = f"{count} fejl i {files} {'fil' if files == 1 else 'filer'}:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


def _rebuild(cls: type, problems: list[Problem]) -> DelaftaleError:
    error = Exception.__new__(cls)
    DelaftaleError.__init__(error, problems)
    return error


def display_path(path: Path, root: Path | None = None) -> str:
    """The path as the author knows it: relative to the project (or cwd) when possible."""
    for base in (root, Path.cwd()):
        if base is None:
            continue
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()
