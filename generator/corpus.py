"""The whole published corpus, read once from the sources: plans, their delaftaler and versions, and URLs.

Every page URL is decided here and nowhere else, so later features (dated versions,
partner pages, redirects) share one scheme:

- ``/``                         landing page, all plans
- ``/<plan>/``                  one plan and its delaftaler
- ``/<plan>/<delaftale>/``      the current version of a delaftale (no date: stays valid)
- ``/<plan>/<delaftale>/<gyldig_fra>/``   one version, forever (a dated URL never changes)
- ``/<plan>/<delaftale>/historik/``       all versions, newest first
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from generator.base.gcpause import without_gc_pauses
from generator.base.problems import DelaftaleError, Problem, display_path
from generator.model.delaftale import DelaftaleBase, Dokumentstatus
from generator.model.fields import suggest_id
from generator.model.fingerprints import RecordedVersion
from generator.model.parties import Part
from generator.model.plan import Plan
from generator.source import checks
from generator.source.loading import read_sources
from generator.source.sourcefiles import Sources, area_lookup

_DANISH_ORDER = str.maketrans({"æ": "{", "ø": "|", "å": "}"})  # the three code points after z


def danish_sort_key(text: str) -> str:
    """Sort key in Danish alphabetical order: … x y z æ ø å."""
    return text.lower().translate(_DANISH_ORDER)


def _url(src_uri: str) -> str:
    """The page's address with directory URLs: 'a/b/index.md' -> 'a/b/'."""
    return src_uri.removesuffix("index.md")


@dataclass
class Version:
    """One file: one version of a delaftale, identified by the date it takes effect."""

    model: DelaftaleBase
    source: Path

    @property
    def key(self) -> str:
        return self.model.gyldig_fra.isoformat()

    @property
    def approved(self) -> bool:
        """Approved versions bind the parties; drafts and versions in consultation do not."""
        return self.model.status is Dokumentstatus.GODKENDT

    @property
    def published(self) -> bool:
        """Whether a public build shows the version: every one but a draft (a preview shows drafts
        too, with their banner, yet never publishes them: no PDF, data, feed entry or record)."""
        return self.model.status is not Dokumentstatus.UDKAST


class Visningsstatus(StrEnum):
    """What the site says of a version on the reference date (its banner, every listing, the open
    data's ``status`` column): an approved version is 'gældende', 'kommende', 'udløbet' or
    'erstattet'; one that is not approved is 'i høring' or 'udkast'. Declared in the order a
    listing prefers them (a plan shows the first its delaftaler have)."""

    GAELDENDE = "gældende"
    KOMMENDE = "kommende"
    I_HOERING = "i høring"
    UDLOEBET = "udløbet"
    ERSTATTET = "erstattet"
    UDKAST = "udkast"


#: What the site says of a version that is not approved: its document status, as a reader reads it.
UNAPPROVED = {Dokumentstatus.UDKAST: Visningsstatus.UDKAST, Dokumentstatus.I_HOERING: Visningsstatus.I_HOERING}


@dataclass(frozen=True)
class Standing:
    """Where a version stands on the reference date: its status on the site and, once it is
    'erstattet', the version that replaced it (the banner and the history page link to it)."""

    status: Visningsstatus
    successor: Version | None = None


@dataclass
class Agreement:
    """A delaftale (one indsatsområde of one plan) with all its versions, oldest first."""

    plan: PlanEntry
    versions: list[Version]
    reference_date: date
    area_id: str = ""  # the focus area's id in the shared vocabulary
    measurements: dict = field(default_factory=dict)  # indicator id -> models.Maalserie (maalinger.yaml)

    @property
    def id(self) -> str:
        return self.versions[0].model.id

    @cached_property
    def approved(self) -> list[Version]:
        return [v for v in self.versions if v.approved]

    @cached_property
    def current(self) -> Version:
        """The newest approved version in force on the reference date; before any is, the first
        approved one; without an approved version, the first (in consultation, or a draft in a
        preview). A version that is not approved is never current while an approved one exists."""
        started = [v for v in self.approved if v.model.gyldig_fra <= self.reference_date]
        return started[-1] if started else (self.approved or self.versions)[0]

    @property
    def status(self) -> Visningsstatus:
        """The current version's status, as every listing shows it."""
        return self.status_of(self.current)

    def status_of(self, version: Version) -> Visningsstatus:
        """What the site says of ``version`` on the reference date."""
        return self.standing(version).status

    def standing(self, version: Version) -> Standing:
        model = version.model
        if not version.approved:
            return Standing(UNAPPROVED[model.status])
        if self.reference_date < model.gyldig_fra:
            return Standing(Visningsstatus.KOMMENDE)
        if version is not self.current:  # started, but a newer approved version has started since
            later = self.approved[self.approved.index(version) + 1 :]
            return Standing(Visningsstatus.ERSTATTET, later[0])
        expired = self.reference_date > model.gyldig_til
        return Standing(Visningsstatus.UDLOEBET if expired else Visningsstatus.GAELDENDE)

    def version_src_uri(self, version: Version) -> str:
        return f"{self.plan.plan.id}/{self.id}/{version.key}/index.md"

    @property
    def has_history(self) -> bool:
        """A history page is worth its own page once there is more than one version."""
        return len(self.versions) > 1

    def own_page(self, version: Version) -> bool:
        """The current version is the undated page; its dated address leads there (a copy would
        cost a page per agreement), until a newer version takes over and it gets its own."""
        return version is not self.current

    @property
    def history_src_uri(self) -> str:
        return f"{self.plan.plan.id}/{self.id}/historik/index.md"

    @property
    def src_uri(self) -> str:
        return f"{self.plan.plan.id}/{self.id}/index.md"

    @property
    def area_src_uri(self) -> str:
        return f"indsatsomraader/{self.area_id}/index.md"

    @property
    def url(self) -> str:
        return _url(self.src_uri)


@dataclass
class PlanEntry:
    plan: Plan
    source: Path
    agreements: list[Agreement] = field(default_factory=list)

    @property
    def period(self) -> tuple[date, date] | None:
        """The plan's stated period, else the span of its agreements."""
        if self.plan.periode:
            return self.plan.periode.fra, self.plan.periode.til
        models = [a.current.model for a in self.agreements]
        return (min(m.gyldig_fra for m in models), max(m.gyldig_til for m in models)) if models else None

    @property
    def status(self) -> Visningsstatus:
        """The plan's status: the most current of its agreements' statuses."""
        statuses = {a.status for a in self.agreements}
        return next((s for s in Visningsstatus if s in statuses), Visningsstatus.UDLOEBET)

    @property
    def parties(self) -> dict[str, Part]:
        return {p.id: p for p in self.plan.parter}

    @property
    def src_uri(self) -> str:
        return f"{self.plan.id}/index.md"

    @property
    def municipality_src_uri(self) -> str:
        return Municipality(suggest_id(self.plan.kommune), self.plan.kommune).src_uri

    @property
    def url(self) -> str:
        return _url(self.src_uri)


@dataclass
class Area:
    """A focus area across plans (for the overview of one indsatsområde)."""

    id: str
    navn: str
    agreements: list[Agreement] = field(default_factory=list)

    @property
    def src_uri(self) -> str:
        return f"indsatsomraader/{self.id}/index.md"


@dataclass
class Municipality:
    id: str
    navn: str
    plans: list[PlanEntry] = field(default_factory=list)

    @property
    def src_uri(self) -> str:
        return f"kommuner/{self.id}/index.md"


@dataclass
class Corpus:
    plans: list[PlanEntry]
    reference_date: date
    area_names: dict[str, str] = field(default_factory=dict)  # vocabulary: id -> name
    notes: list = field(default_factory=list)  # Problems worth a look that are not errors

    @property
    def agreements(self) -> list[Agreement]:
        return [a for p in self.plans for a in p.agreements]

    def published_versions(self) -> Iterator[tuple[Agreement, Version]]:
        """Every version a public build publishes (:attr:`Version.published`; never a draft, even
        in a preview), with its agreement, agreement by agreement, oldest version first."""
        for agreement in self.agreements:
            for version in agreement.versions:
                if version.published:
                    yield agreement, version

    def only(self, plan_id: str) -> Corpus:
        """The same corpus with one plan: what a preview of that plan builds."""
        return Corpus([p for p in self.plans if p.plan.id == plan_id], self.reference_date, self.area_names, self.notes)

    @cached_property
    def areas(self) -> list[Area]:
        by_id: dict[str, Area] = {}
        for agreement in self.agreements:
            name = self.area_names.get(agreement.area_id, agreement.current.model.indsatsomraade)
            by_id.setdefault(agreement.area_id, Area(agreement.area_id, name)).agreements.append(agreement)
        return sorted(by_id.values(), key=lambda a: danish_sort_key(a.navn))

    @cached_property
    def municipalities(self) -> list[Municipality]:
        by_id: dict[str, Municipality] = {}
        for entry in self.plans:
            key = suggest_id(entry.plan.kommune)
            by_id.setdefault(key, Municipality(key, entry.plan.kommune)).plans.append(entry)
        return sorted(by_id.values(), key=lambda m: danish_sort_key(m.navn))


@without_gc_pauses
def load_corpus(
    folder: Path,
    *,
    root: Path | None = None,
    reference_date: date | None = None,
    cache: dict | None = None,
    published: Mapping[str, RecordedVersion] | None = None,
    include_drafts: bool = False,
) -> Corpus:
    """Read and validate everything under ``folder``; raise :class:`DelaftaleError` listing every problem.

    ``published`` is what the manifest last published (``publicerede-adresser.json``) records of
    each version, by URL (``Manifest.versioner``): versions recorded there may not change silently. Drafts (``status: udkast``) are checked
    like every file but left out of the corpus unless ``include_drafts`` (a preview)."""
    reference_date = reference_date or date.today()
    if not folder.is_dir():
        raise DelaftaleError(
            [
                Problem(
                    display_path(folder, root),
                    None,
                    "",
                    "mappen med aftaler findes ikke — opret den eller ret stien i mkdocs.yml",
                )
            ]
        )
    sources = Sources(folder, read_sources(folder, root, cache), published or {})
    problems = [p for item in sources.files for p in item.problems]
    for check in checks.PASSES:
        problems += check(sources)
    if problems:
        raise DelaftaleError(problems)
    corpus = assemble(sources, reference_date, include_drafts)
    corpus.notes = sorted(p for note in checks.NOTES for p in note(sources))
    return corpus


def assemble(sources: Sources, reference_date: date, include_drafts: bool = False) -> Corpus:
    """The corpus of valid, checked files: plans with their delaftaler and versions."""
    area_of = area_lookup(sources.vocabulary)
    entries = {plan_id: PlanEntry(item.model, item.path) for plan_id, item in sources.plans.items()}  # type: ignore[arg-type]
    grouped: dict[tuple[str, str], list[Version]] = defaultdict(list)
    for item in sources.versions:
        version = Version(item.model, item.path)  # type: ignore[arg-type]
        if include_drafts or version.published:
            grouped[(version.model.plan, version.model.id)].append(version)
    measured = {
        item.parts[:2]: {s.indikator: s for s in item.model.indikatorer}  # type: ignore[union-attr]
        for item in sources.measurements
    }
    for (plan_id, agreement_id), versions in grouped.items():
        entry = entries[plan_id]
        agreement = Agreement(
            entry,
            sorted(versions, key=lambda v: v.model.gyldig_fra),
            reference_date,
            measurements=measured.get((plan_id, agreement_id), {}),
        )
        name = agreement.current.model.indsatsomraade
        agreement.area_id = area_of(name) or suggest_id(name)
        entry.agreements.append(agreement)
    for entry in entries.values():
        entry.agreements.sort(
            key=lambda a: (a.current.model.raekkefoelge or 0, danish_sort_key(a.current.model.indsatsomraade))
        )
    vocabulary = sources.vocabulary
    names = {a.id: a.navn for a in vocabulary.indsatsomraader} if vocabulary else {}
    return Corpus(sorted(entries.values(), key=lambda e: danish_sort_key(e.plan.navn)), reference_date, names)
