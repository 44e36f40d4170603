"""Pydantic's validation errors as Danish messages an author can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

BUILTIN_ERROR_TYPES = frozenset(typing.get_args(ErrorType))

Loc = tuple[str | int, ...]


def unknown(kind: str, value: str, known: list[str]) -> str:
    """ "'x' findes ikke — mente du 'y'?" (or the known values, or that there are none)."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.5)
    hint = (
        f"mente du '{close[0]}'?"
        if close
        else (f"kendte {kind}: {', '.join(known)}" if known else f"der er ingen {kind} endnu")
    )
    return f"'{value}' findes ikke — {hint}"


def format_loc(loc: Loc) -> str:
    """('delmaal', 1, 'indikatorer', 0, 'tekst') -> 'delmaal[1].indikatorer[0].tekst'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def unwrap(tp: Any) -> list[Any]:
    """The concrete types inside Optional / Annotated / list / Union."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(tp) for t in unwrap(arg)]
    if origin is list:
        return unwrap(typing.get_args(tp)[0])
    return [tp]


def model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class whose fields live at ``loc`` inside ``model``."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        candidates = [t for t in unwrap(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
        current = candidates[0] if candidates else None
    return current


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}…'"
    if isinstance(value, dict):
        return "en samling af felter"
    if isinstance(value, list):
        return "en liste"
    if value is None:
        return "en tom værdi"
    return repr(value)


def translate(error: ErrorDetails, model: type[BaseModel]) -> tuple[Loc, str]:
    """A Danish message for one pydantic error, and the location it belongs to."""
    kind = error["type"]
    loc: Loc = tuple(error["loc"])
    value = error.get("input")
    ctx = error.get("ctx") or {}

    if kind == "extra_forbidden":
        key = loc[-1]
        owner = model_at(model, loc[:-1])
        known = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"mente du '{close[0]}'?" if close else f"tilladte felter her: {', '.join(known)}"
        return loc, f"ukendt felt '{key}' — {hint}"
    if kind == "missing":
        return loc, f"feltet '{loc[-1]}' mangler — tilføj '{loc[-1]}: …'"
    if "felt" in ctx:  # cross-field checks point at the field to change
        loc = (*loc, ctx["felt"])
    if kind in ("string_type", "str_type"):
        return loc, f"skal være en tekst, men er {_shown(value)}"
    if kind == "list_type":
        return loc, f"skal være en liste (linjer der starter med '- '), men er {_shown(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"skal være en samling af felter ('felt: værdi' på hver linje), men er {_shown(value)}"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return loc, f"{_shown(value)} er ikke en gyldig værdi — vælg en af: {expected.replace(' or ', ', ')}"
    if kind == "too_short":
        return loc, "listen er tom — tilføj mindst ét punkt"
    if kind in ("int_parsing", "int_type"):
        return loc, f"{_shown(value)} er ikke et helt tal"
    if kind == "value_error" or kind == "assertion_error":
        return loc, str(error["msg"]).removeprefix("Value error, ")
    if kind not in BUILTIN_ERROR_TYPES:  # our own PydanticCustomError: already Danish
        return loc, error["msg"]
    return loc, f"ugyldig værdi {_shown(value)} ({error['msg']})"


def translate_all(errors: list[ErrorDetails], model: type[BaseModel]) -> list[tuple[Loc, str]]:
    """Danish messages for all of a file's errors, one per mistake: a misspelled key is both an
    unknown field and a missing one to pydantic; the author made one mistake, so it is told once,
    as the unknown field with the missing one as the suggestion."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    merged: set[Loc] = set()
    out: list[tuple[Loc, str]] = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            wanted = [m[-1] for m in missing if m[:-1] == loc[:-1] and m not in merged]
            close = difflib.get_close_matches(str(loc[-1]), [str(w) for w in wanted], n=1, cutoff=0.6)
            if close:
                merged.add((*loc[:-1], close[0]))
                out.append((loc, f"ukendt felt '{loc[-1]}' — mente du '{close[0]}'?"))
                continue
        out.append(translate(error, model))
    return [(loc, message) for loc, message in out if not (loc in merged and message.startswith("feltet '"))]
