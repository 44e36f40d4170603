"""The outline of a document: its sections in order, with their headings and anchors.

Each template generation (``skabelon``) and the 2013 plan document (``dokument`` in plan.yaml)
has a standard outline, defined once here as plain data: an ordered list of :class:`Section`
(key, default heading, anchor, and the model fields it shows). The templates render a page by
walking :func:`placed_sections`, one macro per section key, so order and headings are data.

An agreement (or a plan's ``dokument``) may give its own ``disposition``: its sections in its
own order, each with its own heading (numbered, if the source numbers them), and free sections
(a heading and Markdown text, optionally with sub-sections) anywhere in between. Typed parts
(parties, indicators, activities, budget, period …) stay typed fields; the disposition only
places them. Anchors never change with the heading: partners link to them.

Knows nothing of Jinja or MkDocs. :func:`problems` checks a disposition against its outline
(unknown or repeated keys, filled fields left out); :mod:`generator.source.checks` reports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from generator.model.delaftale import DelaftaleBase
from generator.model.fields import field_kind, suggest_id
from generator.model.messages import unknown
from generator.model.plan import PlanDokument
from generator.model.sections import Dispositionsafsnit


@dataclass(frozen=True)
class Section:
    """One section of a standard outline.

    ``key`` is what a ``disposition`` calls it (``afsnit: problemkompleks``); ``heading`` the
    heading the template gives it, unless the document writes its own; ``anchor`` its stable id
    on the page (``#problemkompleks``); ``fields`` the model fields it shows, in order.
    ``only_when_filled``: the section is left out when none of its fields is filled (it has no
    standard text of its own). ``heading_when``: ``(field, heading)``, a different default
    heading when that field is filled (the 2019 template names the physical efforts only when
    the agreement describes them). ``heading`` None: the section has no heading (a fact box).
    """

    key: str
    heading: str | None
    anchor: str
    fields: tuple[str, ...] = ()
    only_when_filled: bool = False
    heading_when: tuple[str, str] | None = None

    def default_heading(self, model: BaseModel | None = None) -> str | None:
        if self.heading_when and model is not None and _filled(getattr(model, self.heading_when[0], None)):
            return self.heading_when[1]
        return self.heading


@dataclass(frozen=True)
class Placed:
    """A section as a page shows it: a standard one (``key``) or a free one (``key`` None, with
    its ``text`` and ``subsections``, each a ``Placed`` without sub-sections)."""

    key: str | None
    heading: str | None
    anchor: str
    text: str | None = None
    subsections: tuple[Placed, ...] = ()


_INDSATS = Section("indsats", "Navn på den boligsociale indsats, som delaftalen vedrører", "indsats")
_PERIODE = Section("periode", "Delaftalen gælder fra – til", "periode", ("gyldig_fra", "gyldig_til"))

#: The standard outline of each template generation, by ``skabelon``. What comes before it on
#: the page (title, status, facts, resumé, LBF's opening standard text) is not a section.
OUTLINES: dict[str, tuple[Section, ...]] = {
    "lbf-2019": (
        _INDSATS,
        _PERIODE,
        Section("parter", "Delaftalens parter", "parter", ("parter",)),
        Section(
            "delmaal",
            "Delmål og indikatorer for indsatsområdet",
            "delmaal-og-indikatorer",
            ("delmaal_note", "kolonnenavne", "delmaal", "fodnoter"),
        ),
        Section("aktiviteter", "Aktiviteter", "aktiviteter"),
        Section(
            "medarbejderressourcer",
            "Medarbejderressourcer for indsatsområdet",
            "medarbejderressourcer",
            ("medarbejderressourcer",),
        ),
        Section(
            "sammenhaeng",
            "Sammenhæng med den kommunale indsats i boligområdet",
            "sammenhaeng",
            ("sammenhaeng_fysisk", "sammenhaeng_kommunal"),
            heading_when=(
                "sammenhaeng_fysisk",
                "Sammenhæng med den fysiske indsats samt den kommunale indsats i boligområdet",
            ),
        ),
        Section("revision", "Revision af delaftalen", "revision", ("revision",)),
        Section(
            "aktivitetsbeskrivelser",
            "Aktiviteter, som skal bidrage til indfrielsen af delmålene for indsatsområdet",
            "aktivitetsbeskrivelser",
            ("aktiviteter",),
        ),
    ),
    "lbf-2017": (
        _INDSATS,
        Section("parter", "Aftalens parter", "parter", ("parter",)),
        Section("problemkompleks", "Problemkompleks for indsatsområdet", "problemkompleks", ("problemkompleks",)),
        Section(
            "formaal",
            "Formål, mål og succeskriterier for indsatsområdet",
            "formaal-maal-og-succeskriterier",
            ("formaal_og_maal", "succeskriterier", "fodnoter"),
        ),
        Section(
            "aktiviteter",
            "Aktiviteter, som skal bidrage til indfrielse af formål, mål og succeskriterier",
            "aktiviteter",
            ("aktiviteter_indledning",),
        ),
        Section(
            "medarbejderressourcer",
            "Medarbejderressourcer for indsatsområdet",
            "medarbejderressourcer",
            ("medarbejderressourcer",),
        ),
        Section(
            "sammenhaeng",
            "Sammenhæng med den kommunale indsats i boligområdet",
            "sammenhaeng",
            ("sammenhaeng_kommunal",),
        ),
        Section("oekonomi", "Indsatsområdets økonomi i henhold til budget", "oekonomi", ("oekonomi",)),
        Section(
            "konflikthaandtering", "Konflikthåndtering og underretning", "konflikthaandtering", ("konflikthaandtering",)
        ),
        Section("revision", "Revision af delaftalen", "revision", ("revision",)),
        _PERIODE,
        Section(
            "aktivitetsbeskrivelser",
            "Aktiviteter, som skal bidrage til indfrielsen af mål for indsatsområdet",
            "aktivitetsbeskrivelser",
            ("aktiviteter",),
        ),
    ),
    "helhedsplan-2013": (
        Section("parter", "Parter", "parter", ("parter",), only_when_filled=True),
        Section("problemkompleks", "Problemkompleks", "problemkompleks", ("problemkompleks",)),
        Section("formaal", "Formål", "formaal", ("formaal",)),
        Section("aktiviteter", "Aktiviteter", "aktiviteter", ("aktiviteter_indledning", "aktiviteter")),
        Section("faktaboks", None, "faktaboks", ("faktaboks",), only_when_filled=True),
    ),
}

#: The standard outline of a 2013 master plan's own sections (plan.yaml ``dokument``), between
#: the plan's facts and its list of parties. The colophon (``kolofon``) always ends the page.
PLAN_DOCUMENT_OUTLINE: tuple[Section, ...] = (
    Section("resume", "Resumé", "resume", ("resume",)),
    Section("forord", "Forord", "forord", ("forord", "lejemaal", "forord_fortsat")),
    Section("baggrund", "Baggrund", "baggrund", ("baggrund_indledning", "baggrund"), only_when_filled=True),
    Section("vision", "Vision", "vision", ("vision",)),
    Section("hovedformaal", "Hovedformål", "hovedformaal", ("hovedformaal",), only_when_filled=True),
    Section("indsatsomraader", "Indsatsområder", "delaftaler", ("indsatsomraader_indledning",)),
    Section("milepaelsplan", "Overordnet milepælsplan", "milepaelsplan", ("milepaelsplan",), only_when_filled=True),
    Section("evaluering", "Evaluering", "evaluering", ("evaluering",), only_when_filled=True),
    Section("organisering", "Organisering", "organisering", ("organisering",), only_when_filled=True),
    Section("ansvarsomraader", "Ansvarsområder", "ansvarsomraader", ("ansvarsomraader",), only_when_filled=True),
    Section("budget", "Budget", "budget", ("budget",), only_when_filled=True),
)

#: Fields of the plan document outside its outline: the colophon ends the page, after the parties.
PLAN_DOCUMENT_OUTSIDE: tuple[str, ...] = ("kolofon", "disposition")


@dataclass(frozen=True)
class ActivityPart:
    """One part of an activity as a generation shows it, in order: ``heading`` is its heading
    (or, in a 2013 fact box, its row label; None: it has none, e.g. the activity's own heading,
    which is its name), ``anchor`` the suffix of its stable id (``#<activity>--<anchor>``), or
    None when it has no heading of its own; ``fields`` the activity's fields it shows; ``optional``:
    shown only when filled. Templates write these headings; tests/test_outline.py keeps them equal."""

    key: str
    heading: str | None
    anchor: str | None
    fields: tuple[str, ...]
    optional: bool = True


_ROLES = ActivityPart(
    "roller",
    "Ansvars- og rollefordeling",
    "roller",
    ("roller_indledning", "roller", "roller_afslutning", "rollegrupper"),
    optional=False,
)

#: The parts of an activity in each generation, in the order its page shows them. Every
#: activity also has ``id`` (its anchor) and ``listetekst`` (its line in the list of activities).
ACTIVITY_PARTS: dict[str, tuple[ActivityPart, ...]] = {
    "lbf-2019": (
        ActivityPart("navn", None, None, ("navn",), optional=False),
        ActivityPart("problemstilling", "Problemstilling", "problemstilling", ("problemstilling",)),
        ActivityPart("formaal", "Formål", "formaal", ("formaal",), optional=False),
        ActivityPart("maalgrupper", "Målgruppe(r)", "maalgrupper", ("maalgrupper",), optional=False),
        ActivityPart("indhold", "Indhold og praksis", "indhold", ("indhold",), optional=False),
        ActivityPart("succeskriterier", "Succeskriterier", "succeskriterier", ("succeskriterier",)),
        ActivityPart("maalemetode", "Målemetode", "maalemetode", ("maalemetode",)),
        _ROLES,
    ),
    "lbf-2017": (
        ActivityPart("navn", None, None, ("navn", "niveau"), optional=False),
        ActivityPart("cfbu", "CFBU:", None, ("cfbu",)),
        ActivityPart("problemstilling", "Problemstilling", "problemstilling", ("problemstilling",)),
        ActivityPart("indhold", "Indhold og praksis (aktivitetsbeskrivelse)", "indhold", ("indhold",), optional=False),
        ActivityPart("formaal", "Formål og mål", "formaal", ("formaal",)),
        ActivityPart("maalgrupper", "Målgruppe(r)", "maalgrupper", ("maalgrupper",), optional=False),
        ActivityPart(
            "succeskriterier", "Succeskriterier og datakilde for aktiviteten", "succeskriterier", ("succeskriterier",)
        ),
        ActivityPart("maalemetode", "Målemetode", "maalemetode", ("maalemetode",)),
        _ROLES,
    ),
    "helhedsplan-2013": (
        ActivityPart("navn", None, None, ("navn",), optional=False),
        ActivityPart("problemstilling", "Problemstilling", "problemstilling", ("problemstilling",)),
        # Without a problem statement the narrative follows the activity's heading directly.
        ActivityPart("indhold", "Indhold og praksis", "indhold", ("indhold",), optional=False),
        # The fact box (a table after the narrative): its rows, labelled as the 2013 documents do.
        ActivityPart("formaal", "Formål:", None, ("formaal",)),
        ActivityPart("maalgrupper", "Målgruppe(r):", None, ("maalgrupper",)),
        ActivityPart("medarbejderressourcer", "Medarbejderressourcer:", None, ("medarbejderressourcer",)),
        ActivityPart("succeskriterier", "Succeskriterier:", None, ("succeskriterier", "succeskriterier_betegnelse")),
        ActivityPart("maalemetode", "Målemetode:", None, ("maalemetode",)),
        ActivityPart("samarbejdsrelationer", "Samarbejdsrelationer:", None, ("samarbejdsrelationer",)),
        ActivityPart("lokal_evaluering", "Lokal evaluering:", None, ("lokal_evaluering",)),
        ActivityPart("forankring", "Forankring:", None, ("forankring",)),
        ActivityPart(
            "roller",
            "Ansvars- og rollefordeling",
            "roller",
            ("roller_indledning", "roller", "roller_afslutning", "rollegrupper"),
        ),  # optional in 2013
    ),
}


def activity_parts(skabelon: str) -> list[ActivityPart]:
    """The parts of a generation's activity, in the order its page shows them."""
    return list(ACTIVITY_PARTS[skabelon])


def standard_outline(skabelon: str) -> list[Section]:
    """The standard outline of a template generation (``'lbf-2019'``, ``'lbf-2017'``,
    ``'helhedsplan-2013'``): its sections in order, each with key, heading, anchor and fields."""
    return list(OUTLINES[skabelon])


def plan_document_outline() -> list[Section]:
    """The standard outline of a 2013 plan's ``dokument`` (the plan page's own sections)."""
    return list(PLAN_DOCUMENT_OUTLINE)


def outside_fields(skabelon: str) -> tuple[str, ...]:
    """A generation's fields that are not placed by its outline: what every delaftale has
    (title, period, status, approval, …: the page's head and the version's facts)."""
    del skabelon  # the same for every generation today
    return tuple(DelaftaleBase.model_fields)


def _outline_of(model: BaseModel) -> tuple[Section, ...]:
    if isinstance(model, PlanDokument):
        return PLAN_DOCUMENT_OUTLINE
    return OUTLINES[model.skabelon]  # type: ignore[attr-defined]


def _filled(value) -> bool:
    return value is not None and value != [] and value != ""


def _section_filled(section: Section, model: BaseModel) -> bool:
    return any(_filled(getattr(model, name, None)) for name in section.fields)


def free_anchor(entry: Dispositionsafsnit) -> str:
    """A free section's anchor: its ``id``, or made from its heading without its number
    ('7.1 Åbningstider' -> 'aabningstider'), so renumbering the document keeps the links."""
    return entry.id or suggest_id(re.sub(r"^[\d.]+\s+", "", entry.overskrift or ""))


def _free(entry: Dispositionsafsnit) -> Placed:
    return Placed(
        None,
        entry.overskrift,
        free_anchor(entry),
        entry.tekst,
        tuple(_free(sub) for sub in getattr(entry, "underafsnit", ())),
    )


def placed_sections(model: BaseModel) -> list[Placed]:
    """The sections a page shows, in order: the document's ``disposition`` when it has one,
    else its generation's standard outline (sections with nothing to show left out)."""
    outline = _outline_of(model)
    by_key = {s.key: s for s in outline}
    disposition = getattr(model, "disposition", None)
    if not disposition:
        return [
            Placed(s.key, s.default_heading(model), s.anchor)
            for s in outline
            if not s.only_when_filled or _section_filled(s, model)
        ]
    placed = []
    for entry in disposition:
        if entry.afsnit is None:
            placed.append(_free(entry))
            continue
        section = by_key.get(entry.afsnit)
        if section is None or (section.only_when_filled and not _section_filled(section, model)):
            continue  # an unknown key is reported by problems(); an empty section has nothing to show
        placed.append(Placed(section.key, entry.overskrift or section.default_heading(model), section.anchor))
    return placed


def activity_list(model: DelaftaleBase) -> list:
    """The activities in the order of the document's list of them (``aktivitetsliste``), which
    may differ from the order it describes them in; without it, the described order."""
    activities = list(getattr(model, "aktiviteter", []))
    order = getattr(model, "aktivitetsliste", [])
    if not order:
        return activities
    by_id = {a.id: a for a in activities}
    listed = [by_id[i] for i in order if i in by_id]
    return listed + [a for a in activities if a.id not in order]


def _activity_list_problems(model: BaseModel) -> Iterator[tuple[tuple, str]]:
    order = getattr(model, "aktivitetsliste", [])
    if not order:
        return
    ids = [a.id for a in getattr(model, "aktiviteter", [])]
    for i, ident in enumerate(order):
        if ident not in ids:
            yield (("aktivitetsliste", i), "aktiviteten " + unknown("aktiviteter", ident, ids))
        elif order.index(ident) != i:
            yield (
                ("aktivitetsliste", i),
                f"aktiviteten '{ident}' står allerede i listen — nævn hver aktivitet én gang",
            )
    missing = [ident for ident in ids if ident not in order]
    if missing:
        yield (("aktivitetsliste",), f"listen mangler {', '.join(repr(m) for m in missing)} — nævn alle aktiviteterne")


def problems(model: BaseModel) -> Iterator[tuple[tuple, str]]:
    """What is wrong with a document's ``disposition``, as (location in the model, Danish
    message): every problem, so an author sees them all in one run."""
    yield from _activity_list_problems(model)
    disposition = getattr(model, "disposition", None)
    if not disposition:
        return
    outline = _outline_of(model)
    keys = [s.key for s in outline]
    seen: dict[str, int] = {}
    anchors: dict[str, int] = {}
    for i, entry in enumerate(disposition):
        if entry.afsnit is None:
            anchor = free_anchor(entry)
            if anchor in keys or anchor in {s.anchor for s in outline} or anchor in anchors:
                yield (
                    ("disposition", i, "id" if entry.id else "overskrift"),
                    f"afsnittets anker '#{anchor}' er allerede brugt på siden — giv afsnittet et andet 'id:'",
                )
            anchors.setdefault(anchor, i)
            continue
        if entry.afsnit not in keys:
            yield (
                ("disposition", i, "afsnit"),
                "afsnittet " + unknown("afsnit", entry.afsnit, keys) + f" (standardafsnittene er: {', '.join(keys)})",
            )
        elif entry.afsnit in seen:
            yield (
                ("disposition", i, "afsnit"),
                f"afsnittet '{entry.afsnit}' står allerede i dispositionen (disposition[{seen[entry.afsnit]}]) "
                "— nævn hvert afsnit én gang",
            )
        seen.setdefault(entry.afsnit, i)
    for section in outline:
        if section.key in seen:
            continue
        for name in section.fields:
            info = type(model).model_fields.get(name)
            if info is None or field_kind(info) is not None or not _filled(getattr(model, name, None)):
                continue  # the period, the plan's name …: shown in the page's head too
            yield (
                (name,),
                f"feltet '{name}' er udfyldt, men dets afsnit '{section.key}' står ikke i dispositionen — "
                f"tilføj '- afsnit: {section.key}' dér, hvor det skal stå, eller slet feltet",
            )
            break
