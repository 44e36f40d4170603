"""The writing guide's view of the models: what each field accepts (from the type it is
declared with), every field as a YAML path, and synthetic instances in which every field holds
a value that can be found on the rendered page (:mod:`generator.render.guideplaces`)."""

from __future__ import annotations

import enum
import functools
import types
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.base.typography import danish_date
from generator.model.delaftale import GENERATIONS
from generator.model.fields import LISTE, TYPE_NAMES, VALG, danish_number, type_name
from generator.model.outline import OUTLINES, PLAN_DOCUMENT_OUTLINE
from generator.model.plan import PlanDokument
from generator.model.sections import Dispositionsafsnit


@dataclass(frozen=True)
class FieldType:
    """What a field accepts: a kind (the key of a :class:`~generator.model.fields.TypeName`, or
    'model'), its choices, model or item type."""

    kind: str
    choices: tuple = ()
    model: type[BaseModel] | None = None
    item: FieldType | None = None


def field_type(annotation: Any, metadata: tuple = ()) -> FieldType:
    """The type of a field from its annotation and metadata (pydantic moves a top-level
    ``Annotated``'s metadata onto the field; nested ones stay in the annotation)."""
    if get_origin(annotation) is Annotated:
        base, *extra = get_args(annotation)
        return field_type(base, (*metadata, *extra))
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return field_type(args[0], metadata)
    declared = type_name(metadata)  # the shared types say what they are (generator.model.fields)
    if declared is not None:
        return FieldType(declared.key)
    if get_origin(annotation) is list:
        return FieldType("liste", item=field_type(get_args(annotation)[0]))
    if get_origin(annotation) is Literal:
        return FieldType("valg", choices=get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):  # Dokumentstatus
        return FieldType("valg", choices=tuple(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return FieldType("model", model=annotation)
    if annotation is int:
        return FieldType("heltal")
    return FieldType("tekst")


@functools.cache
def _hints(cls: type[BaseModel]) -> dict[str, Any]:
    # The annotations as written, resolved: pydantic keeps some as forward references on the field.
    # Each class's names resolve in the module that defines it (its annotations are strings there).
    return get_type_hints(cls, include_extras=True)


def type_of(info: FieldInfo, cls: type[BaseModel] | None = None, name: str | None = None) -> FieldType:
    if cls is not None and name is not None:
        return field_type(_hints(cls)[name])
    return field_type(info.annotation, tuple(info.metadata))


def describe_type(kind: FieldType) -> str:
    if kind.kind == "valg":
        return VALG.name + " " + ", ".join(f"`{c}`" for c in kind.choices)
    if kind.kind == "model":
        return "afsnit med felterne herunder"
    if kind.kind == "liste":
        assert kind.item is not None
        inner = "punkter med felterne herunder" if kind.item.kind == "model" else describe_type(kind.item)
        return f"{LISTE.name}: {inner}"
    return next(t.name for t in TYPE_NAMES if t.key == kind.kind)


# --------------------------------------------------------------------------- synthetic instances


def _marker(number: int) -> str:
    """A unique marker of letters only ('ZQAAABQZ'), so no number or date on a page can match it."""
    letters = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        letters = chr(ord("A") + digit) + letters
    return f"ZQ{letters}QZ"


@dataclass
class Synthetic:
    """Builds instances in which every field holds a value that can be found on the rendered page:
    texts and names a unique marker, dates, years and numbers unique values (as the page prints them)."""

    needles: dict[str, list[str]] = field(default_factory=dict)  # field path -> what the page shows of it
    labels: dict[str, str] = field(default_factory=dict)  # marker -> the field's title (for headings)
    unset: set[str] = field(default_factory=set)  # optional fields left out (see placements)
    start: int = 0  # instances rendered on one page count from different starts: no value twice
    _count: int = 0

    def __post_init__(self) -> None:
        self._count = self.start

    def _next(self) -> int:
        self._count += 1
        return self._count

    def value(self, path: str, info: FieldInfo, kind: FieldType, name: str) -> Any:
        title = info.title or name
        if path in self.unset:
            return info.get_default(call_default_factory=True)
        if kind.kind in ("tekst", "navn"):
            marker = _marker(self._next())
            self.needles.setdefault(path, []).append(marker)
            self.labels[marker] = title
            return marker
        if kind.kind == "id":
            return None if name == "part" else f"id-{self._next()}"  # a party reference: the free name shows
        if kind.kind == "dato":
            day = date(2031, 1, 1) + timedelta(days=33 * self._next())  # increasing: gyldig_fra < gyldig_til
            self.needles.setdefault(path, []).append(danish_date(day))
            return day
        if kind.kind in ("aarstal", "tidspunkt"):
            year = 1000 + self._next()
            self.needles.setdefault(path, []).append(str(year))
            return year
        if kind.kind == "tal":
            number = Decimal(70000 + self._next())
            self.needles.setdefault(path, []).append(danish_number(number))
            return number
        if kind.kind == "valg":
            return info.default if info.default in kind.choices else kind.choices[0]
        if kind.kind == "model":
            assert kind.model is not None
            return self.instance(kind.model, path + ".")
        if kind.kind == "liste":
            assert kind.item is not None
            if kind.item.kind == "id":
                return []  # references to ids elsewhere (footnotes) or old ids: none
            item = FieldInfo(annotation=None, title=title)
            return [self.value(path + "[]", item, kind.item, name)]
        return None

    def instance(self, cls: type[BaseModel], prefix: str = "", **fixed) -> Any:
        values = dict(fixed)
        if "disposition" in cls.model_fields and "disposition" not in values:
            values["disposition"] = self.disposition(cls, prefix + "disposition[].")
        for name, info in cls.model_fields.items():
            if name not in values:
                values[name] = self.value(prefix + name, info, type_of(info, cls, name), name)
        return cls.model_construct(**values)  # not validated: every optional field is set at once

    def disposition(self, cls: type[BaseModel], prefix: str) -> list:
        """A disposition that keeps the standard outline (every section by its key, in order) and
        adds one free section at the end, so both the standard headings and a free section's
        fields are found on the page."""
        standard = [
            Dispositionsafsnit.model_construct(afsnit=section.key, overskrift=None, id=None, tekst=None, underafsnit=[])
            for section in outline_of_class(cls)
        ]
        return standard + [self.instance(Dispositionsafsnit, prefix, afsnit=None, id=None)]


def outline_of_class(cls: type[BaseModel]):
    """The standard outline of a generation's model class or of the plan document."""
    if cls is PlanDokument:
        return PLAN_DOCUMENT_OUTLINE
    return OUTLINES[next(k for k, v in GENERATIONS.items() if v is cls)]


def field_paths(cls: type[BaseModel], prefix: str = "") -> list[tuple[str, FieldInfo, FieldType]]:
    """Every field of a model and of the models inside it, as YAML paths (``aktiviteter[].navn``)."""
    result = []
    for name, info in cls.model_fields.items():
        kind = type_of(info, cls, name)
        path = prefix + name
        result.append((path, info, kind))
        inner = kind.item if kind.kind == "liste" else kind
        if inner is not None and inner.kind == "model" and inner.model is not None:
            result += field_paths(inner.model, path + ("[]." if kind.kind == "liste" else "."))
    return result


# --------------------------------------------------------------------------- placement
