"""Walking a validated model: every model and every text inside it, with its location.

The checks (checks.py) and the figures (figures.py) walk the agreements the same way; the location
is a pydantic-style tuple (``("aktiviteter", 2, "indhold")``) that SourceDocument turns into a line.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from pydantic import BaseModel

from generator.model.messages import unwrap


@functools.cache
def nested_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of ``cls`` that can hold models (directly or in a list)."""
    return tuple(
        name
        for name, info in cls.model_fields.items()
        if any(isinstance(t, type) and issubclass(t, BaseModel) for t in unwrap(info.annotation))
    )


def walk(model: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, BaseModel]]:
    """Every model inside ``model`` (itself first) with its location, in document order."""
    yield loc, model
    for name in nested_fields(type(model)):
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from walk(value, (*loc, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from walk(item, (*loc, name, i))


def texts(model: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text inside ``model`` with its location."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            where = (*loc, name) if i is None else (*loc, name, i)
            if isinstance(item, str):
                yield where, item
            elif isinstance(item, BaseModel):
                yield from texts(item, where)
