"""An author's save seen at once by `mkdocs serve` (and `delaftale forhaandsvis`).

MkDocs' server watches folders with watchdog's PollingObserver: every half second it lists
and stats every file under them. A save waits a quarter of a second on average before it is
noticed, and at 1,000 agreements 2,500 files are stat'ed twice a second while the author
types. Where the system has inotify (Linux), the agreements and templates are watched through
it instead: the kernel reports the save when it happens.

Only changes count (a file written, created, deleted, moved): the build itself opens and reads
every file, and inotify reports those opens too; MkDocs' callback would take each for a save
and rebuild for ever. Where inotify cannot be had (another system, or the limit of watches a
user may have is reached), the folders are polled, as MkDocs does.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.plugins.delaftaler")


def _changes() -> list[type]:
    from watchdog.events import FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent

    return [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent]


def watch_changes(server: Any, folders: list[Path]) -> Any | None:
    """Watch ``folders`` for ``server`` (MkDocs' LiveReloadServer) through inotify; the observer
    to stop when serving ends, or None when the folders are polled by MkDocs' own observer.

    ``server.watch`` schedules on ``server.observer``: it is pointed at an inotify observer for
    these calls alone, so the rest of MkDocs (its docs folder, mkdocs.yml) is watched as ever."""
    try:
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:  # not Linux
        _polled(server, folders)
        return None
    changes = _changes()

    class ChangesOnly(InotifyObserver):  # type: ignore[misc, valid-type]
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False):
            return super().schedule(
                event_handler, path, recursive=recursive, event_filter=changes, follow_symlink=follow_symlink
            )

    observer = ChangesOnly()
    polling, server.observer = server.observer, observer
    watched: list[str] = []
    try:
        for folder in folders:
            server.watch(str(folder))
            watched.append(str(folder))
        observer.start()
        return observer
    except OSError as exc:  # e.g. fs.inotify.max_user_watches reached
        for path in watched:
            with contextlib.suppress(KeyError):  # the watch that failed to start is gone already
                server.unwatch(path)
        observer.stop()
        log.info(f"Bemærk: ændringer i aftalerne ses ved at kigge efter hvert halve sekund ({exc.strerror or exc})")
    finally:
        server.observer = polling
    _polled(server, folders)
    return None


def _polled(server: Any, folders: list[Path]) -> None:
    """The folders watched by MkDocs' own (polling) observer, as MkDocs would."""
    for folder in folders:
        server.watch(str(folder))
