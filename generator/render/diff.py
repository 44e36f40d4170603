"""What changed between two versions of a delaftale, derived from the models.

The comparison walks the models' fields, whatever the template generation: every field is
compared, and a field added to the models later is compared too, named by its title
(``Field(title=…)``). Lists of items (delmål, indicators, activities, roles, budget rows,
parties) are matched by id, by party, or by the most similar wording, and reported as added,
removed or changed, with the changed wording marked word by word. Fields about the version
rather than its text (period, approval: shown in each history entry) and about the site
(ids, order) or the site's help to readers (a summary) are not compared; contact persons are compared without naming them.
Plain data in, plain data out; the history page renders it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

from pydantic import BaseModel

from generator.base.typography import danish_date
from generator.model.delaftale import DelaftaleBase
from generator.model.fields import (
    ADRESSERING,
    PERSONOPLYSNING,
    REDAKTIONEL,
    VERSIONSOPLYSNING,
    danish_number,
    field_kind,
)
from generator.model.parties import PartReference
from generator.model.tables import UKENDT

SIMILAR = 0.6  # texts at least this similar are the same item, changed
REWRITTEN = 0.3  # texts sharing less than this are shown as replaced, not word by word
NAME_FIELDS = ("navn", "tekst", "titel", "betegnelse", "gruppe", "periode", "id")  # what an item is called by


@dataclass(frozen=True)
class Change:
    kind: str  # "tilføjet", "fjernet" or "ændret"
    what: str  # e.g. "Aktivitet «Gårdfester»: formål"
    detail: str = ""  # HTML: the changed wording, with <del> and <ins>


def wording(old: object, new: object) -> str:
    """Word-level difference as HTML: removed words in <del>, added in <ins>."""
    a, b = str(old or "").split(), str(new or "").split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    if a and b and matcher.quick_ratio() < REWRITTEN:
        # A rewritten text: a word diff would be noise (and costs len(a) * len(b)).
        return f"<del>{escape(' '.join(a))}</del> <ins>{escape(' '.join(b))}</ins>"
    out: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            words = a[i1:i2]
            out.append(escape(" ".join(words if len(words) <= 12 else [*words[:5], "…", *words[-5:]])))
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def _similarity(a: str, b: str) -> float:
    """difflib's ratio, skipped (0) when its cheap upper bounds already say "too different"."""
    matcher = difflib.SequenceMatcher(a=a, b=b)
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def _pair(old: list, new: list, key, similar=None) -> tuple[list, list, list]:
    """(pairs, removed, added): equal keys first, then (with ``similar``) the most similar rest."""
    pairs, rest_new, rest_old = [], list(new), []
    for item in old:
        match = next((n for n in rest_new if key(n) == key(item)), None)
        if match is None:
            rest_old.append(item)
        else:
            pairs.append((item, match))
            rest_new.remove(match)
    removed = []
    for item in rest_old:
        scored = [(_similarity(similar(item), similar(n)), i) for i, n in enumerate(rest_new)] if similar else []
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR:
            pairs.append((item, rest_new.pop(best[1])))
        else:
            removed.append(item)
    return pairs, removed, rest_new


class _Comparison:
    def __init__(self, party_names: dict[str, str]):
        self.party_names = party_names

    def name(self, item: BaseModel) -> str:
        if isinstance(item, PartReference):
            named = item.navn or self.party_names.get(item.part or "", item.part or "")
            return getattr(item, "betegnelse", None) or named
        text = next((str(getattr(item, f)) for f in NAME_FIELDS if getattr(item, f, None)), "")
        return text if len(text) <= 80 else text[:77] + "…"

    def label(self, item: BaseModel) -> str:
        return f"{type(item).model_config.get('title') or type(item).__name__} «{self.name(item)}»"

    def key(self, item: BaseModel):
        """What makes two items of a list the same item: their id, their party, or their name."""
        for field in ("id", "part"):
            if getattr(item, field, None):
                return (field, getattr(item, field))
        return ("navn", self.name(item))

    def models(self, old: BaseModel, new: BaseModel, where: str) -> Iterator[Change]:
        fields = dict(type(new).model_fields)
        fields.update({n: f for n, f in type(old).model_fields.items() if n not in fields})  # another generation
        for name, info in fields.items():
            kind = field_kind(info)
            if kind in (VERSIONSOPLYSNING, ADRESSERING, REDAKTIONEL):
                continue
            before, after = getattr(old, name, None), getattr(new, name, None)
            if before == after or (not before and not after):
                continue
            here = _join(where, info.title or name)
            if kind is PERSONOPLYSNING:  # that they changed, not who they are
                yield Change("ændret", here)
            elif _amounts(before) and _amounts(after) and len(before) == len(after):  # a budget row: by column
                for column, (a, b) in enumerate(zip(before, after), 1):
                    if a != b:
                        yield Change(
                            "ændret",
                            here + (f" (kolonne {column})" if len(after) > 1 else ""),
                            wording(_text(a), _text(b)),
                        )
            elif isinstance(before, list) or isinstance(after, list):
                yield from self.lists(before or [], after or [], where, here)
            elif isinstance(before, BaseModel) and isinstance(after, BaseModel):
                yield from self.models(before, after, here)
            elif before is None or after is None:
                kind_of = "tilføjet" if before is None else "fjernet"
                value = after if before is None else before
                yield Change(kind_of, here, "" if isinstance(value, BaseModel) else escape(_text(value)))
            elif name == "part":  # a party by its name, not its id
                yield Change(
                    "ændret", here, wording(self.party_names.get(before, before), self.party_names.get(after, after))
                )
            else:
                yield Change("ændret", here, wording(_text(before), _text(after)))

    def lists(self, old: list, new: list, where: str, here: str) -> Iterator[Change]:
        if not any(isinstance(item, BaseModel) for item in old + new):  # a list of texts: duties, milestones
            yield from (Change("fjernet", here, escape(_text(t))) for t in old if t not in new)
            yield from (Change("tilføjet", here, escape(_text(t))) for t in new if t not in old)
            return
        pairs, removed, added = _pair(old, new, self.key, self.name)
        yield from (Change("fjernet", _join(where, self.label(item))) for item in removed)
        yield from (Change("tilføjet", _join(where, self.label(item))) for item in added)
        for before, after in sorted(pairs, key=lambda pair: new.index(pair[1])):  # the new version's order
            if before != after:
                yield from self.models(before, after, _join(where, self.label(after)))


def compare(old: DelaftaleBase, new: DelaftaleBase, party_names: dict[str, str] | None = None) -> list[Change]:
    """Changes from ``old`` to ``new``; ``party_names`` (id -> name) names roles of known parties."""
    return list(_Comparison(party_names or {}).models(old, new, ""))


def _join(where: str, what: str) -> str:
    """'Aktivitet «X»' + 'Rolle «Y»' -> 'Aktivitet «X», rolle «Y»' (a field last: '…: formål')."""
    if not where:
        return what
    lowered = what[:1].lower() + what[1:]
    return f"{where}: {lowered}" if "«" not in what else f"{where}, {lowered}"


def _amounts(value: object) -> bool:
    """A budget row's amounts (numbers, or 'ukendt' for one not known yet)."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, Decimal) or v == UKENDT or v is None for v in value)
        and any(isinstance(v, Decimal) for v in value)
    )


def _text(value: object) -> str:
    if isinstance(value, date):
        return danish_date(value)
    if isinstance(value, Decimal):
        return danish_number(value)
    return str(value)
