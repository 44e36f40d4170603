"""Build the site beside ``site/`` and put it in place in one step, only when it is complete.

Whatever stops a build (an error, Ctrl-C, SIGTERM, SIGKILL, a full disk), ``site/`` must
afterwards be the previous site, untouched, or the new one, complete. No handler runs on
SIGKILL, so this is safe by construction rather than by cleaning up:

- the build writes into a fresh folder next to ``site/`` (``site.bygges-XXXX``, same file
  system, so a rename is atomic); ``site/`` is not touched while the build runs;
- once the build has completed, the two folders are exchanged in one atomic step (Linux's
  ``renameat2(RENAME_EXCHANGE)``); then the old site, now in the build folder, is removed.
  Where that call is missing, ``site/`` is renamed to ``site.forrige`` and the new folder to
  ``site/``: a kill between those two renames leaves no ``site/`` until the next build, which
  restores ``site.forrige`` first (``recover``);
- a build folder is locked (``flock``) by the build that writes it; the lock dies with the
  process, so the next build knows a leftover folder from a killed build (unlocked) from a
  build running right now (locked). Leftovers are removed, never taken for the site. Other
  scratch folders of a build (the search index's, search.py) are locked and removed the same way.

A build replaces the whole folder ``site/`` names, so ``site/`` may not be a file, nor a link
(whose folder, with whatever else it holds, would be replaced) unless the project says so
(``site_problem``).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no locks, a leftover is recognised by its age
    fcntl = None  # type: ignore[assignment]

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# Without locks (Windows), a leftover is told from a running build's folder by its age: no
# build runs for a day, so an untouched folder that old is abandoned.
ABANDONED_AFTER = 24 * 3600


def building_prefix(site: Path) -> str:
    return f"{site.name}.bygges-"


def backup_of(site: Path) -> Path:
    return site.with_name(f"{site.name}.forrige")


def site_problem(site: Path, *, through_link: bool = False) -> str | None:
    """Why ``site`` cannot be built into, in Danish with what to do; None when it can.

    A build replaces the whole folder ``site`` names. Through a link that is the folder the
    link points to, with whatever else it holds (a ``site`` link to a home folder would empty
    it), so a link is refused unless the project says it leads to a folder of the site's own
    (``through_link``). A file is never replaced by a folder."""
    shown = os.fspath(site)
    if os.path.islink(site) and not through_link:
        return (
            f"'{shown}' er et symbolsk link (til {os.readlink(site)}), og bygningen ville erstatte hele den "
            "mappe, linket peger på, med alt hvad den indeholder — peg site_dir på en almindelig mappe (fx site), "
            "eller slet linket; leder linket til en mappe, der kun rummer sitet (fx en webservers mappe), så skriv "
            "'publish_through_link: true' under delaftaler i mkdocs.yml"
        )
    resolved = Path(os.path.realpath(site))
    if os.path.lexists(resolved) and not resolved.is_dir():
        return (
            f"'{shown}' er en fil, ikke en mappe, og bygningen ville erstatte den med sitet — flyt eller slet "
            "filen, eller peg site_dir på en mappe"
        )
    return None


def recover(site: Path) -> None:
    """Undo what a killed build left beside ``site``: restore the site if only its backup
    is there, and remove build folders whose build no longer runs."""
    site = Path(os.path.realpath(site))  # a site/ that is a link: its folder is what gets replaced
    backup = backup_of(site)
    if backup.is_dir() and not os.path.lexists(site):
        backup.rename(site)  # killed between the two renames of a swap: the old site is complete
    elif backup.is_dir():
        shutil.rmtree(backup, ignore_errors=True)
    remove_abandoned(site.parent.glob(building_prefix(site) + "*"))


def remove_abandoned(candidates: Iterable[Path]) -> None:
    """Remove the folders among ``candidates`` that no running build holds locked (made by
    :func:`locked_folder`): what builds killed before they could clean up left behind."""
    for leftover in candidates:
        try:
            lock = _lock(leftover)
        except OSError:  # BlockingIOError: another build is writing it; else not one of ours, or another user's
            continue
        try:
            if lock is None and time.time() - leftover.stat().st_mtime < ABANDONED_AFTER:
                continue  # without locks, a recent folder may be another build's
            shutil.rmtree(leftover, ignore_errors=True)
        finally:
            unlock(lock)


def locked_folder(parent: Path, prefix: str) -> tuple[Path, int | None]:
    """A fresh folder ``<prefix>XXXX`` in ``parent`` and the lock this process holds on it until
    :func:`unlock` (or its death): :func:`remove_abandoned` leaves it alone meanwhile."""
    while True:
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        try:
            return folder, _lock(folder)
        except (BlockingIOError, FileNotFoundError):
            continue  # another build's cleanup took it in the instant before it was locked: make another


def unlock(lock: int | None) -> None:
    if lock is not None:
        os.close(lock)


def _lock(folder: Path) -> int | None:
    if fcntl is None:
        return None
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically; False where the system cannot."""
    try:
        renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    except (OSError, TypeError):  # pragma: no cover - no C library to ask (Windows)
        return False
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel or a file system without exchange
    raise OSError(code, os.strerror(code), str(a), None, str(b))


class StagedSite:
    """A fresh folder to build ``site`` into, locked for this build.

    ``keep_contents`` starts it as a copy of the current site (for ``--dirty`` builds, which
    only rewrite what changed); file times are kept, which is what ``--dirty`` compares."""

    def __init__(self, site: Path, *, keep_contents: bool = False):
        self.site = Path(os.path.realpath(site))
        self.site.parent.mkdir(parents=True, exist_ok=True)
        self.folder, self._lock = locked_folder(self.site.parent, building_prefix(self.site))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.folder, 0o777 & ~umask)  # mkdtemp's 0700 would hide the site from a web server
        if keep_contents and self.site.is_dir():
            shutil.copytree(self.site, self.folder, dirs_exist_ok=True, symlinks=True)

    def publish(self) -> None:
        """Put the complete build in place of the site in one step and remove the old site."""
        if not os.path.lexists(self.site):
            self.folder.rename(self.site)
        elif _exchange(self.folder, self.site):
            shutil.rmtree(self.folder, ignore_errors=True)  # now the old site
        else:
            backup = backup_of(self.site)
            shutil.rmtree(backup, ignore_errors=True)
            self.site.rename(backup)
            self.folder.rename(self.site)
            shutil.rmtree(backup, ignore_errors=True)
        self._unlock()

    def discard(self) -> None:
        """Forget the build; the site stays as it was."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._unlock()

    def _unlock(self) -> None:
        unlock(self._lock)
        self._lock = None
