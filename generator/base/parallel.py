"""Share CPU-bound work with a second process (the machines this runs on have two cores).

``in_two`` forks: the child handles the second half of the items, this process the first, and
the child's results come back pickled. Forking shares the loaded data without copying it;
the child ends with ``os._exit`` so nothing of the parent (MkDocs, open files) runs twice.
Where there is one core, no ``fork`` or little work, everything runs here, and also where
``DELAFTALER_EN_PROCES`` is set (the way out when the second process keeps dying).

If the child dies without answering (killed, out of memory, a crash in C code), the parent
says so in Danish (:class:`SecondProcessDied`) instead of failing to unpickle nothing.
"""

from __future__ import annotations

import os
import pickle
import signal
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from generator.base.problems import DelaftaleError, Problem

T = TypeVar("T")
R = TypeVar("R")

MINIMUM_ITEMS = 64  # below this, a fork costs more than it saves
ONE_PROCESS = "DELAFTALER_EN_PROCES"


class SecondProcessDied(DelaftaleError):
    def __init__(self, status: int | None, detail: str = ""):
        if status is None:
            how = f"fejlede ({detail})"
        elif os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = "ukendt"
            how = f"blev stoppet af signal {number} ({name})"
            if number == signal.SIGKILL:
                how += "; det sker fx, når maskinen løber tør for hukommelse"
        elif os.WIFEXITED(status):
            how = f"stoppede med status {os.WEXITSTATUS(status)} uden at svare"
        else:
            how = "stoppede uden at svare"
        super().__init__(
            [
                Problem(
                    "bygning",
                    None,
                    "",
                    (
                        f"den anden proces, der deler arbejdet, {how} — prøv igen; sker det igen, så kør med "
                        f"miljøvariablen {ONE_PROCESS}=1 (alt i én proces, langsommere)"
                    ),
                )
            ]
        )


def in_two(task: Callable[[Sequence[T]], R], items: Sequence[T]) -> list[R]:
    """[task(first half), task(second half)], the halves computed at the same time."""
    if (
        len(items) < MINIMUM_ITEMS
        or not hasattr(os, "fork")
        or (os.cpu_count() or 1) < 2
        or os.environ.get(ONE_PROCESS)
    ):
        return [task(items)]
    middle = len(items) // 2
    first, second = items[:middle], items[middle:]
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        answered = False
        try:  # whatever happens, the child never returns into the parent's code
            os.close(read_end)
            try:
                payload = pickle.dumps(("ok", task(second)), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:
                try:
                    payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:
                    payload = pickle.dumps(("crash", traceback.format_exc()), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
            answered = True
        finally:
            os._exit(0 if answered else 1)
    os.close(write_end)
    answer: tuple | None = None
    try:
        mine = task(first)
    finally:
        # Read from the pipe as it is unpickled, not into one buffer first: the answer can be a
        # few hundred MB (the HTML of half the pages), and a build should not hold it twice.
        with os.fdopen(read_end, "rb") as incoming:
            try:
                answer = pickle.load(incoming)
            except Exception:  # nothing, or a part: the child died while answering
                answer = None
        _, exit_status = os.waitpid(child, 0)
    if exit_status != 0 or answer is None:  # the child ends with os._exit(0) once its answer is written
        raise SecondProcessDied(exit_status if exit_status != 0 else None, "intet svar")
    status, theirs = answer
    if status == "error":
        raise theirs
    if status == "crash":  # an error that could not be sent back: its last line says what it was
        raise SecondProcessDied(None, theirs.strip().splitlines()[-1])
    return [mine, theirs]
