"""The published record: what each published version said, so that it is not changed silently.

Every build lists, beside its addresses (``adresser.json``), a fingerprint of each version it
publishes: a short hash of each of its fields, derived from the model (all fields but those
that only place it on the site or help readers, like a summary), its document status and its number of corrections. The
copy kept in the repository (``publicerede-adresser.json``, updated after each publication)
is what :func:`generator.source.checks.published.check_published_versions` compares against: an approved
version whose fields differ from their published hashes needs a new dated correction note.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from generator.model.delaftale import DelaftaleBase, Dokumentstatus
from generator.model.fields import ADRESSERING, REDAKTIONEL, field_kind

_EXEMPT = {"rettelser"}  # the corrections themselves are how a published version may change
FIGURE_PREFIX = "figur "  # the record's entry for an image a version shows: "figur organisation.png"


def version_url(model: DelaftaleBase) -> str:
    return f"{model.plan}/{model.id}/{model.gyldig_fra.isoformat()}/"


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def fingerprint(model: DelaftaleBase, figures: dict[str, str] | None = None) -> dict[str, str]:
    """Field -> short hash of its value, for every field the author set that is part of the record.
    Fields at their default are left out, so a field added to the models later changes no
    published fingerprint. ``figures`` (figures.of_model: image -> content-addressed URI) are
    part of what the version shows: each as 'figur <file>'."""
    data = model.model_dump(mode="json", exclude_defaults=True)
    prints = {
        name: _digest(value)
        for name, value in data.items()
        if name not in _EXEMPT and field_kind(type(model).model_fields[name]) not in (ADRESSERING, REDAKTIONEL)
    }
    return prints | {f"{FIGURE_PREFIX}{src}": _digest(uri) for src, uri in (figures or {}).items()}


class RecordedVersion(BaseModel):
    """What the manifest records of a published version: its document status when it was
    published, its number of corrections, and its fields' fingerprints. Strict: the build writes
    exactly these types, so anything else in the file is damage, not a value to coerce."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    status: Dokumentstatus
    rettelser: Annotated[int, Field(ge=0)]
    felter: dict[str, str]


def entry(model: DelaftaleBase, figures: dict[str, str] | None = None) -> RecordedVersion:
    """What the manifest records of a published version."""
    return RecordedVersion(status=model.status, rettelser=len(model.rettelser), felter=fingerprint(model, figures))


def changed_fields(recorded: RecordedVersion, model: DelaftaleBase, figures: dict[str, str] | None = None) -> list[str]:
    """Fields whose value differs from the published one (added and removed ones too)."""
    before, now = recorded.felter, fingerprint(model, figures)
    return sorted(name for name in before.keys() | now.keys() if before.get(name) != now.get(name))
