"""Pause Python's cyclic garbage collector while building large, long-lived structures.

Loading 1,000 agreements creates a few million objects that all stay alive. The collector
runs every few hundred allocations and walks the survivors each time, which costs a third of
the loading time and buys nothing: nothing here is garbage yet. Reference counting still
frees what goes out of scope; the collector runs again afterwards.
"""

from __future__ import annotations

import functools
import gc


def without_gc_pauses(function):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper
