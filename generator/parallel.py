"""Share CPU-bound work with a second process (the machines this runs on have two cores).

``in_two`` forks: the child handles the second half of the items, this process the first, and
the child's results come back pickled. Forking shares the loaded data without copying it;
the child ends with ``os._exit`` so nothing of the parent (MkDocs, open files) runs twice.
Where there is one core, no ``fork`` or little work, everything runs here.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MINIMUM_ITEMS = 64  # below this, a fork costs more than it saves


def in_two(task: Callable[[Sequence[T]], R], items: Sequence[T]) -> list[R]:
    """[task(first half), task(second half)], the halves computed at the same time."""
    if len(items) < MINIMUM_ITEMS or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return [task(items)]
    middle = len(items) // 2
    first, second = items[:middle], items[middle:]
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        os.close(read_end)
        try:
            payload = pickle.dumps(("ok", task(second)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            try:
                payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                payload = pickle.dumps(("crash", traceback.format_exc()), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(write_end)
    try:
        mine = task(first)
    finally:
        with os.fdopen(read_end, "rb") as incoming:
            data = incoming.read()
        os.waitpid(child, 0)
    status, theirs = pickle.loads(data)
    if status == "error":
        raise theirs
    if status == "crash":
        raise RuntimeError(f"the second process failed:\n{theirs}")
    return [mine, theirs]
