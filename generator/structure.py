"""The whole published corpus, read once: plans, their delaftaler and versions, and URLs.

Every page URL is decided here and nowhere else, so later features (dated versions,
partner pages, redirects) share one scheme:

- ``/``                         landing page, all plans
- ``/<plan>/``                  one plan and its delaftaler
- ``/<plan>/<delaftale>/``      the current version of a delaftale (no date: stays valid)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .models import DelaftaleBase, Part, Plan


_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})  # the three code points after z


def danish_sort_key(text: str) -> str:
    """Sort key in Danish alphabetical order: … x y z æ ø å."""
    return text.lower().translate(_DANISH_ORDER)


def _url(src_uri: str) -> str:
    """The page's address with directory URLs: 'a/b/index.md' -> 'a/b/'."""
    return src_uri.removesuffix("index.md")


@dataclass
class Version:
    """One file: one version of a delaftale."""

    model: DelaftaleBase
    source: Path


@dataclass
class Agreement:
    """A delaftale (one indsatsområde of one plan) with all its versions, oldest first."""

    plan: PlanEntry
    versions: list[Version]
    reference_date: date

    @property
    def id(self) -> str:
        return self.versions[0].model.id

    @property
    def current(self) -> Version:
        """The newest version in force on the reference date; before any is, the first."""
        started = [v for v in self.versions if v.model.gyldig_fra <= self.reference_date]
        return started[-1] if started else self.versions[0]

    @property
    def src_uri(self) -> str:
        return f"{self.plan.plan.id}/{self.id}/index.md"

    @property
    def url(self) -> str:
        return _url(self.src_uri)


@dataclass
class PlanEntry:
    plan: Plan
    source: Path
    agreements: list[Agreement] = field(default_factory=list)

    @property
    def parties(self) -> dict[str, Part]:
        return {p.id: p for p in self.plan.parter}

    @property
    def src_uri(self) -> str:
        return f"{self.plan.id}/index.md"

    @property
    def url(self) -> str:
        return _url(self.src_uri)


@dataclass
class Corpus:
    plans: list[PlanEntry]
    reference_date: date

    @property
    def agreements(self) -> list[Agreement]:
        return [a for p in self.plans for a in p.agreements]
