"""The writing guide ("Skrivevejledning"): a Danish page for authors, generated from the models.

Nothing here lists fields by hand. Every field of every model is described from its pydantic
definition (YAML key, Danish title, required or not, description, what it accepts), and *where*
it appears is found by rendering: a synthetic instance of each model, in which every field
holds a unique marker, is rendered with the project's own templates (:class:`Renderer`) and
converted as the site converts it (:func:`pagehtml.convert`); the heading under which each
marker turns up is the field's place on the page. So the guide follows the templates (order,
headings, a future configurable outline) and the models, and cannot drift from either.

What Markdown a text field may hold is found the same way: samples of each construct are
converted and sanitised as every page is, and the guide says what survives.
"""

from __future__ import annotations

import enum
import functools
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.base.typography import danish_date
from generator.corpus import Agreement, Corpus, PlanEntry, Version, Visningsstatus
from generator.model import models
from generator.model.models import (
    ADRESSERING,
    GENERATIONS,
    PERSONOPLYSNING,
    REDAKTIONEL,
    STATUS_NAMES,
    VERSIONSOPLYSNING,
    DelaftaleBase,
    Dokumentstatus,
    Maalinger,
    Ordliste,
    Plan,
    danish_number,
    field_kind,
)
from generator.model.outline import OUTLINES, PLAN_DOCUMENT_OUTLINE
from generator.render.html import convert
from generator.render.partners import Partner
from generator.render.renderer import Renderer

GUIDE_URI = "skrivevejledning.md"

# --------------------------------------------------------------------------- field types


@dataclass(frozen=True)
class FieldType:
    """What a field accepts: a kind ('tekst', 'navn', 'id', 'dato', 'aarstal', 'tal',
    'tidspunkt', 'heltal', 'valg', 'model', 'liste'), its choices, model or item type."""

    kind: str
    choices: tuple = ()
    model: type[BaseModel] | None = None
    item: FieldType | None = None


_BY_VALIDATOR = {
    models._check_year_or_date: "tidspunkt",
    models._check_date: "dato",
    models._check_year: "aarstal",
    models._check_cell: "tal",
    models._check_amount: "tal",
    models._check_id: "id",
    models._check_name: "navn",
    models._strip_text: "tekst",
}


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
    functions = {getattr(m, "func", None) for m in metadata}
    for function, kind in _BY_VALIDATOR.items():  # most specific first: a Navn is also stripped text
        if function in functions:
            return FieldType(kind)
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
    return get_type_hints(cls, globalns=vars(models), include_extras=True)


def type_of(info: FieldInfo, cls: type[BaseModel] | None = None, name: str | None = None) -> FieldType:
    if cls is not None and name is not None:
        return field_type(_hints(cls)[name])
    return field_type(info.annotation, tuple(info.metadata))


_KIND_NAMES = {
    "tekst": "tekst (Markdown)",
    "navn": "navn (én linje)",
    "id": "id (a-z, 0-9 og bindestreg)",
    "dato": "dato (ÅÅÅÅ-MM-DD)",
    "aarstal": "årstal (ÅÅÅÅ)",
    "tal": "tal (fx 3.100 eller 12,5)",
    "tidspunkt": "årstal eller dato",
    "heltal": "helt tal",
}


def describe_type(kind: FieldType) -> str:
    if kind.kind == "valg":
        return "én af " + ", ".join(f"`{c}`" for c in kind.choices)
    if kind.kind == "model":
        return "afsnit med felterne herunder"
    if kind.kind == "liste":
        assert kind.item is not None
        inner = "punkter med felterne herunder" if kind.item.kind == "model" else describe_type(kind.item)
        return f"liste: {inner}"
    return _KIND_NAMES[kind.kind]


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
            models.Dispositionsafsnit.model_construct(
                afsnit=section.key, overskrift=None, id=None, tekst=None, underafsnit=[]
            )
            for section in outline_of_class(cls)
        ]
        return standard + [self.instance(models.Dispositionsafsnit, prefix, afsnit=None, id=None)]


def outline_of_class(cls: type[BaseModel]):
    """The standard outline of a generation's model class or of the plan document."""
    if cls is models.PlanDokument:
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


class _Placements(HTMLParser):
    """Walks a page's HTML: for each needle, the headings above the text it stands in."""

    def __init__(self, needles: dict[str, list[str]], labels: dict[str, str], page: str):
        super().__init__(convert_charrefs=True)
        self.needles, self.labels, self.page = needles, labels, page
        self.headings: list[tuple[int, str]] = []
        self.found: dict[str, list[tuple[str, ...]]] = {}  # path -> heading trails, in page order
        self.outline: list[tuple[int, str]] = []  # every heading (level, label), in page order
        self.order: list[tuple[tuple[str, ...], str]] = []  # (trail, path) in page order
        self._heading: tuple[int, list[str]] | None = None
        self._skip = 0
        self._caption: list[str] | None = None  # the table being read: its caption
        self._in_caption = False

    def label(self, text: str) -> str:
        for marker, title in self.labels.items():
            if marker in text:
                text = text.replace(marker, f"‹{title}›")
        return " ".join(text.split())

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._caption = []
        elif tag == "caption":
            self._in_caption = True
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = (int(tag[1]), [])
        elif (
            tag == "a"
            and ("class", "headerlink") in attrs
            or tag in ("script", "style", "svg")
            or tag == "details"
            and ("class", "sideindhold") in attrs
            or self._skip
            and tag in ("details", "a")
        ):
            self._skip += 1  # permalinks, and the page's contents list (its headings again)

    def handle_endtag(self, tag):
        if tag == "table":
            self._caption = None
        elif tag == "caption":
            self._in_caption = False
        if tag in ("a", "script", "style", "svg", "details") and self._skip:
            self._skip -= 1
        elif self._heading and tag == f"h{self._heading[0]}":
            level, parts = self._heading
            text = "".join(parts)
            self._heading = None
            while self.headings and self.headings[-1][0] >= level:
                self.headings.pop()
            self.headings.append((level, self.label(text)))
            self.outline.append((level, self.label(text)))
            self._record(text, heading=True)

    def handle_data(self, data):
        if self._skip:
            return
        if self._heading:
            self._heading[1].append(data)
        else:
            if self._in_caption and self._caption is not None:
                self._caption.append(data)
            self._record(data)

    def _record(self, text: str, heading: bool = False) -> None:
        trail = (self.page, *(label for _, label in self.headings))
        if self._caption and not self._in_caption:  # a cell: name its table, as the reader sees it
            trail += (f"tabellen «{self.label(''.join(self._caption))}»",)
        if heading:
            trail = trail[:-1] + (trail[-1] + " (overskriften)",)
        for path, needles in self.needles.items():
            if any(n in text for n in needles):
                trails = self.found.setdefault(path, [])
                if trail not in trails:
                    trails.append(trail)
                    self.order.append((trail, path))


@dataclass
class Placement:
    """Where the fields of one kind of file appear: trails of headings per field path, and the
    page's outline with the fields under each heading, in page order."""

    found: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    outlines: dict[str, list[tuple[int, str, list[str]]]] = field(default_factory=dict)  # page -> headings

    def headings_of(self) -> set[str]:
        """Fields found as a heading's text."""
        return {path for path, trails in self.found.items() if any(t[-1].endswith(" (overskriften)") for t in trails)}

    def add(self, html: str, page: str, synthetic: Synthetic, *, outline: bool = True) -> None:
        parser = _Placements(synthetic.needles, synthetic.labels, page)
        parser.feed(html)
        for path, trails in parser.found.items():
            for trail in trails:
                if trail not in self.found.setdefault(path, []):
                    self.found[path].append(trail)
        if outline and page not in self.outlines:
            under: dict[tuple[str, ...], list[str]] = {}
            for trail, path in parser.order:
                key = tuple(t.removesuffix(" (overskriften)") for t in trail if not t.startswith("tabellen «"))
                under.setdefault(key, []).append(path)
            outline, stack = [], []
            for level, label in parser.outline:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, label))
                outline.append((level, label, under.get((page, *(s[1] for s in stack)), [])))
            self.outlines[page] = outline


def _render_html(page) -> str:
    return convert(page.body, page.inserts).html


_PLACEMENTS: dict[tuple, dict[str, tuple[Placement, Synthetic]]] = {}  # one entry: the last templates seen


def placements(templates_dir: Path) -> dict[str, tuple[Placement, Synthetic]]:
    """:func:`find_placements`, made again only when a template or the outline changes: it renders
    every generation twice, a sixth of a preview's rebuild, and depends on nothing else (the
    models' classes do not change while a process runs)."""
    snapshot = tuple(
        sorted(
            (path.relative_to(templates_dir).as_posix(), path.stat().st_mtime_ns, path.stat().st_size)
            for path in templates_dir.rglob("*")
            if path.is_file()
        )
    )
    key = (str(templates_dir.resolve()), snapshot, repr(OUTLINES), repr(PLAN_DOCUMENT_OUTLINE))
    if key not in _PLACEMENTS:
        _PLACEMENTS.clear()
        _PLACEMENTS[key] = find_placements(templates_dir)
    return _PLACEMENTS[key]


def find_placements(templates_dir: Path) -> dict[str, tuple[Placement, Synthetic]]:
    """Render a synthetic instance of every generation, of a plan and of measurements, and find
    where each field shows. Key: the ``skabelon`` of a generation, or 'plan' (plan.yaml with its
    document sections and a party) and 'maalinger' (on a 2019 agreement's current page)."""
    renderer = Renderer(templates_dir)
    result: dict[str, tuple[Placement, Synthetic]] = {}
    plan_synthetic = Synthetic(start=1000)
    entry = PlanEntry(plan_synthetic.instance(Plan, id="plan"), Path("plan.yaml"))
    for skabelon, cls in GENERATIONS.items():

        def agreement_pages(synthetic: Synthetic, first: bool, cls=cls, skabelon=skabelon):
            # First a version in consultation, so its deadline shows too.
            model = synthetic.instance(
                cls,
                skabelon=skabelon,
                plan="plan",
                raekkefoelge=None,
                status=Dokumentstatus.I_HOERING if first else Dokumentstatus.GODKENDT,
                **({} if first else {"hoeringsfrist": None}),
            )
            return [(_render_html(renderer.render_agreement(_agreement(entry, model))), "Delaftalens side")]

        synthetic = Synthetic()
        result[skabelon] = (_two_passes(cls, synthetic, agreement_pages), synthetic)

    def plan_pages(synthetic: Synthetic, first: bool):
        plan = synthetic.instance(Plan, id="plan")
        own = PlanEntry(plan, Path("plan.yaml"))
        partner = Partner(own, plan.parter[0], contacts=list(plan.parter[0].kontaktpersoner))
        return [
            (_render_html(renderer.render_plan(own)), "Planens side"),
            (_render_html(renderer.render_partner(partner)), "Partens side"),
        ]

    result["plan"] = (_two_passes(Plan, plan_synthetic, plan_pages), plan_synthetic)
    # Measurements show on the current page of an agreement whose indicator has the series' id.
    synthetic, hosting = Synthetic(start=2000), Synthetic(start=3000)
    host = hosting.instance(GENERATIONS["lbf-2019"], skabelon="lbf-2019", plan="plan")
    synthetic.labels.update(hosting.labels)  # the host's headings read as field titles too
    indicator = host.delmaal[0].indikatorer[0]

    def measurement_pages(synthetic: Synthetic, first: bool):
        measured = synthetic.instance(Maalinger)
        agreement = _agreement(entry, host)
        agreement.measurements = {indicator.id: measured.indikatorer[0].model_copy(update={"indikator": indicator.id})}
        return [(_render_html(renderer.render_agreement(agreement)), "Delaftalens side")]

    result["maalinger"] = (_two_passes(Maalinger, synthetic, measurement_pages, alternatives=True), synthetic)
    return result


def _two_passes(
    cls: type[BaseModel], synthetic: Synthetic, pages: Callable[[Synthetic, bool], list], alternatives: bool = False
) -> Placement:
    """Render twice: with every field set, then without the optional fields that took a heading's
    place ('titel', a role's 'betegnelse'). The second shows what they replace (the party's name)
    and gives the outline most pages have; the first places the fields the second leaves out.
    With ``alternatives``, the second also leaves out the optional siblings of an optional field
    that did not show (a measurement's 'vaerdi' hides its 'tekst')."""
    everything, placement = Placement(), Placement()
    for html, page in pages(synthetic, True):
        everything.add(html, page, synthetic, outline=False)
    # A free section's heading is its own, not in place of another field: it stays in the second pass.
    synthetic.unset = {
        path for path in everything.headings_of() if _replaces(cls, path, everything) and "disposition[]" not in path
    }
    if alternatives:
        paths = {p: info for p, info, _ in field_paths(cls)}
        hidden = [
            p
            for p, info in paths.items()
            if not info.is_required() and p not in everything.found and type_of(info).kind in ("tekst", "navn", "tal")
        ]
        synthetic.unset |= {
            p
            for h in hidden
            for p, info in paths.items()
            if p.rpartition(".")[0] == h.rpartition(".")[0]
            and p != h
            and not info.is_required()
            and p in everything.found
        }
    for html, page in pages(synthetic, False):
        placement.add(html, page, synthetic)
    for path, trails in everything.found.items():
        placement.found.setdefault(path, trails)
    return placement


def _replaces(cls: type[BaseModel], path: str, placement: Placement) -> bool:
    """Whether an optional field shown as a heading takes the place of another: the document's
    title (top level), or a heading beside a field of the same model that did not show (a role's
    'betegnelse' hides the party's name)."""
    paths = {p: info for p, info, _ in field_paths(cls)}
    if paths[path].is_required():
        return False
    parent = path.rpartition(".")[0]
    siblings = [p for p in paths if p.rpartition(".")[0] == parent and p != path]
    return not parent or any(
        p not in placement.found and type_of(paths[p]).kind in ("tekst", "navn") and paths[p].annotation is not None
        for p in siblings
    )


def _agreement(entry: PlanEntry, model: DelaftaleBase) -> Agreement:
    return Agreement(entry, [Version(model, Path("version.yaml"))], model.gyldig_fra, area_id="omraade")


def gyldig_til_is_inclusive() -> bool:
    """Whether a version is still in force on its ``gyldig_til`` (asked of structure.py)."""
    synthetic = Synthetic()
    model = synthetic.instance(GENERATIONS["lbf-2019"], skabelon="lbf-2019", plan="plan")
    plan = synthetic.instance(Plan, id="plan")
    agreement = Agreement(PlanEntry(plan, Path("plan.yaml")), [Version(model, Path("v.yaml"))], model.gyldig_til)
    return agreement.status is Visningsstatus.GAELDENDE


# --------------------------------------------------------------------------- Markdown in text fields

#: Constructs authors ask about: (name, how it is written, the HTML tag that shows it).
MARKDOWN_SAMPLES = [
    ("Afsnit", "en tom linje mellem to afsnit", "Første afsnit.\n\nAndet afsnit.", "<p>"),
    ("Punktliste", "`- ` først på linjen", "- et punkt\n- et andet punkt", "<ul>"),
    ("Nummereret liste", "`1. ` først på linjen", "1. første\n2. anden", "<ol>"),
    ("Fed og kursiv", "`**fed**`, `*kursiv*`", "**fed** og *kursiv*", "<strong>"),
    ("Link", "`[tekst](https://eksempel.dk)`", "[tekst](https://eksempel.dk)", "<a href="),
    (
        "Tabel",
        "`| a | b |`, `| --- | --- |`, `| 1 | 2 |` på hver sin linje",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "<table",
    ),
    ("Linjeskift i et afsnit", "en `\\` eller to mellemrum sidst på linjen", "første linje\\\nanden linje", "<br"),
    ("Fodnote", "`tekst[^1]` og `[^1]: kilden` sidst i feltet", "tekst[^1]\n\n[^1]: kilden", "footnote"),
    ("Overskrift", "`### Overskrift`", "### Overskrift", "<h3"),
    (
        "Billede",
        '`![alternativ tekst](billede.png "billedtekst")` — billedfilen (PNG, JPEG, GIF eller WebP) '
        "ligger ved siden af YAML-filen, og den alternative tekst skal udfyldes",
        "![alternativ tekst](billede.png)",
        "<img",
    ),
    ("HTML-script", "`<script>`", "<script>alert(1)</script>", "<script"),
]


def markdown_support() -> list[tuple[str, str, bool]]:
    """(construct, how to write it, whether it survives conversion and sanitising)."""
    published = {"billede.png": "figurer/eksempel.png"}  # an image beside the YAML, as figures.py publishes it
    return [(name, how, tag in convert(sample, figures=published).html) for name, how, sample, tag in MARKDOWN_SAMPLES]


# --------------------------------------------------------------------------- the page


_KIND_NOTES = {
    ADRESSERING: "Vises ikke som tekst: bruges til sitets adresser og rækkefølge.",
    VERSIONSOPLYSNING: "Oplysning om versionen (ikke aftalens tekst): vises i versionens oplysninger og i historikken.",
    REDAKTIONEL: "Sitets hjælp til læseren, ikke aftalens tekst: kan tilføjes en offentliggjort version uden rettelse.",
    PERSONOPLYSNING: "Personoplysninger: vises kun, hvor aftalen nævner dem, aldrig i søgningen eller de åbne data.",
}


#: The descriptions the shared types give every field of theirs (said once, under "Felttyper").
_TYPE_DESCRIPTIONS = {
    m.description
    for t in (models.Dato, models.Aarstal, models.Tekst, models.Beloeb, models.Id)
    for m in get_args(t)[1:]
    if isinstance(m, FieldInfo) and m.description
}


def _trail(trail: tuple[str, ...]) -> str:
    if len(trail) == 2 and not trail[1].endswith(" (overskriften)"):
        return f"{trail[0]}, øverst under titlen"
    return " › ".join(trail[:1] + trail[2:] if len(trail) > 2 else trail)  # the page's title goes without saying


def _field_lines(cls: type[BaseModel], placement: Placement | None, skip: set[str] = frozenset()) -> list[str]:
    lines = []
    for path, info, kind in field_paths(cls):
        if path in skip:
            continue
        title = info.title or path.rsplit(".", 1)[-1]
        required = "skal udfyldes" if info.is_required() else "valgfri"
        parts = [f"- **`{path}`** — {title} · {required} · {describe_type(kind)}"]
        if info.description and info.description not in (title, *_TYPE_DESCRIPTIONS):
            parts.append(info.description)
        note = _KIND_NOTES.get(field_kind(info))
        if path.endswith("disposition[].afsnit"):
            owner = models.PlanDokument if path.startswith("dokument.") else cls
            note = "Standardafsnittenes nøgler, i standardrækkefølgen: " + ", ".join(
                f"`{section.key}`" for section in outline_of_class(owner)
            )
        if note:
            parts.append(note)
        holds_text = kind.kind not in ("model", "liste") or kind.item is not None and kind.item.kind != "model"
        if placement is not None and holds_text:
            trails = placement.found.get(path) or placement.found.get(path + "[]")
            if trails:
                parts.append("Vises: " + "; ".join(_trail(t) for t in trails[:3]))
            elif path.endswith("part") and kind.kind == "id":
                parts.append("Vises som partens navn (med link til partens side) samme sted som `navn`")
            elif kind.kind not in ("id", "valg", "heltal") and not note:
                parts.append("Vises ikke på siden")
        lines.append(". ".join(p.rstrip(".") for p in parts) + ".")
    return lines


def _outline_lines(placement: Placement) -> list[str]:
    lines = []
    for page, outline in placement.outlines.items():
        lines.append(f"**{page}:**")
        lines.append("")
        base = min((level for level, _, _ in outline), default=1)
        for level, label, paths in outline:
            indent = "    " * (level - base)
            fields = ", ".join(f"`{p}`" for p in dict.fromkeys(paths))
            lines.append(f"{indent}- {label}" + (f": {fields}" if fields else ""))
        lines.append("")
    return lines


def _example(
    corpus: Corpus | None, pick: Callable[[DelaftaleBase], Any], render: Callable[[Any, DelaftaleBase], list[str]]
) -> list[str]:
    """The first bundled agreement that has something (an activity with roles, a correction…),
    shown as YAML the way it is written."""
    if corpus is None:
        return []
    for agreement in corpus.agreements:
        found = pick(agreement.current.model)
        if found:
            source = agreement.current.source
            lines = render(found, agreement.current.model)
            return [
                f"Fra `{source.parent.parent.name}/{source.parent.name}/{source.name}`:",
                "",
                *("    " + line for line in lines),
                "",
            ]
    return []


def _yaml_lines(data: Any, indent: int = 0) -> list[str]:
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=90, default_flow_style=False)
    return [" " * indent + line for line in text.splitlines()]


def writing_guide(templates_dir: Path, corpus: Corpus | None = None) -> str:
    """The whole guide as Markdown (for MkDocs' own Markdown, like the pages in docs/)."""
    placed = placements(templates_dir)
    inclusive = gyldig_til_is_inclusive()
    lines = [
        "# Skrivevejledning",
        "",
        "Sådan skrives en helhedsplan og dens delaftaler i YAML. Vejledningen er lavet ud fra sitets "
        "datamodel og skabeloner, hver gang sitet bygges, så den altid passer til det, sitet viser: "
        "hvert felt med sin nøgle, hvad det skal indeholde, og under hvilken overskrift og i hvilken "
        "rækkefølge det vises.",
        "",
        "Filerne ligger i mappen `agreements/`: én mappe pr. plan med `plan.yaml`, én mappe pr. delaftale "
        "med én fil pr. version (`ÅÅÅÅ-MM-DD.yaml`, opkaldt efter `gyldig_fra`) og eventuelt `maalinger.yaml`, "
        "og `agreements/indsatsomraader.yaml` med de fælles navne på indsatsområder. `delaftale validate` "
        "tjekker alle filer og siger på dansk, hvad der er galt, i hvilken fil og på hvilken linje.",
        "",
        "## Felttyper {: #felttyper }",
        "",
        "- **Tekst** er Markdown (se nedenfor). Skriv længere tekst som en tekstblok: `felt: |` og teksten "
        "på de følgende linjer, rykket ind.",
        "- **Navn** står på én linje (et linjeskift er en fejl).",
        "- **Id** er et stabilt navn til webadresser: små bogstaver a-z, tal og bindestreger, fx "
        "`sammenhaengskraft-og-medborgerskab`. Et id ændres aldrig (se `tidligere_id`).",
        "- **Dato** skrives ÅÅÅÅ-MM-DD, fx `2021-06-01` for 1. juni 2021.",
        "- **Årstal** skrives med fire cifre, fx `2018`.",
        f"- **Tal** skrives som i aftalen, med punktum for tusinder og komma for decimaler: `3.100` "
        f"(vises {danish_number(Decimal(3100))}), `12,5` (vises {danish_number(Decimal('12.5'))}). "
        "Sæt gerne tallet i anførselstegn (`'3.100'`), så YAML ikke læser det som et decimaltal.",
        "- **Valg** er én af de nævnte værdier, skrevet præcis sådan.",
        "- **Liste**: hvert punkt starter med `- ` på en ny linje.",
        "",
        "### Markdown i tekstfelter {: #markdown }",
        "",
        "Tekstfelter skrives i Markdown (CommonMark med tabeller og fodnoter). Hver side renses bagefter, "
        "så kun tilladte elementer bliver stående. Sådan går det med det, forfattere oftest spørger om "
        "(afprøvet, hver gang vejledningen laves):",
        "",
    ]
    for name, how, survives in markdown_support():
        lines.append(f"- **{name}** ({how}): {'vises' if survives else 'fjernes — bruges ikke'}")
    lines += [
        "",
        "Et enkelt linjeskift i et afsnit bliver til et mellemrum; en tom linje starter et nyt afsnit. "
        "En overskrift i et tekstfelt bliver en del af sidens indholdsfortegnelse; skriv hellere en "
        "mellemoverskrift med fed skrift (`**Mellemoverskrift**`).",
        "",
        "Henvisninger til andre delaftaler skrives som links med målet `aftale:`: "
        "`[aktiviteten](aftale:<delaftale>#<aktivitet>)` i samme plan eller "
        "`aftale:<plan>/<delaftale>#<aktivitet>` i en anden plan.",
        "",
        "## Datoer og perioder {: #datoer }",
        "",
        "- `gyldig_fra` er den første dag, versionen gælder.",
        "- `gyldig_til` er den sidste dag, versionen gælder: "
        + (
            "dagen regnes med (versionen er gældende hele dagen)."
            if inclusive
            else "versionen er udløbet på selve dagen."
        ),
        "- Perioderne for versioner af samme delaftale må ikke overlappe. `delaftale ny-version` sætter "
        "den forrige versions `gyldig_til` til dagen før den nye versions `gyldig_fra`.",
        "- Den gældende version er den nyeste godkendte version, hvis `gyldig_fra` er nået.",
        "",
        "## Status {: #status }",
        "",
        "Feltet `status` fortæller, hvor langt versionen er:",
        "",
    ]
    status_info = DelaftaleBase.model_fields["status"]
    for value in type_of(status_info, DelaftaleBase, "status").choices:
        lines.append(
            f"- `{value}` ({STATUS_NAMES[value]})"
            + (" — standard, når feltet udelades" if value == status_info.default else "")
        )
    lines += [
        "",
        f"{status_info.description}. Oversigterne viser hver versions status på dagen: "
        + ", ".join(f"*{s}*" for s in Visningsstatus)
        + ".",
        "",
        "## Rettelser {: #rettelser }",
        "",
        "En offentliggjort, godkendt version ændres ikke i det stille: bygningen afviser en ændring af "
        "dens tekst, periode eller godkendelse uden en ny, dateret rettelse. Skriv hvad der er rettet, "
        "og hvorfor; det vises på versionens side og i historikken. Ændrer noget sig fra en dato, så lav "
        "i stedet en ny version (`delaftale ny-version`).",
        "",
        *_field_lines(models.Rettelse, None),
        "",
        *_example(
            corpus,
            lambda m: m.rettelser,
            lambda found, m: _yaml_lines({"rettelser": [r.model_dump(mode="json") for r in found]}),
        ),
    ]
    # ------------------------------------------------------------ generations
    lines += [
        "## Delaftaler: skabelonerne {: #skabeloner }",
        "",
        "Feltet `skabelon` siger, hvilken af Landsbyggefondens skabeloner aftalen følger. Skabelonen "
        "bestemmer standardteksterne, overskrifterne og felterne. Alle skabeloner har de fælles dele: "
        "parter, aktiviteter med ansvars- og rollefordeling, periode og godkendelse.",
        "",
        "Under hver skabelon står først sidens opbygning (overskrifterne i den rækkefølge, siden viser "
        "dem, og de felter, der står under hver), så alle felter. ‹…› står for feltets indhold.",
        "",
    ]
    for skabelon, cls in GENERATIONS.items():
        placement, _ = placed[skabelon]
        own = [name for name in cls.model_fields if name not in DelaftaleBase.model_fields and name != "skabelon"]
        lines += [
            f"### `{skabelon}` {{: #{skabelon} }}",
            "",
            "Felterne ud over dem, alle skabeloner har: " + ", ".join(f"`{n}`" for n in own) + ".",
            "",
            "#### Sidens opbygning {: #" + skabelon + "-opbygning }",
            "",
            *_outline_lines(placement),
            "#### Felter {: #" + skabelon + "-felter }",
            "",
            *_field_lines(cls, placement),
            "",
        ]
    lines += _examples(corpus)
    # ------------------------------------------------------------ the other files
    placement, _ = placed["plan"]
    lines += [
        "## plan.yaml {: #plan }",
        "",
        "Planen: navn, kommune, parter og (for en helhedsplan skrevet som ét dokument, 2013) planens egne "
        "afsnit under `dokument:`. Giv hver organisation, der er part i en aftale eller har en rolle, en "
        "post under `parter` med et id, og henvis til den med `part: <id>`: så får den en side med alle "
        "sine opgaver.",
        "",
        "### Sidens opbygning {: #plan-opbygning }",
        "",
        *_outline_lines(placement),
        "### Felter {: #plan-felter }",
        "",
        *_field_lines(Plan, placement),
        "",
        "## indsatsomraader.yaml {: #indsatsomraader }",
        "",
        "De fælles navne på indsatsområder. Hver delaftales `indsatsomraade` skal svare til et af dem "
        '(store og små bogstaver og "&"/"og" er ligegyldige), så oversigten over et indsatsområde '
        "samler det samme område fra alle planer. Skriver en aftale navnet på en anden måde, så tilføj "
        "den måde under `varianter`.",
        "",
        *_field_lines(Ordliste, None),
        "",
        *_vocabulary_example(corpus),
    ]
    placement, _ = placed["maalinger"]
    lines += [
        "## maalinger.yaml {: #maalinger }",
        "",
        "Målinger af en delaftales indikatorer over tid, i delaftalens mappe ved siden af versionerne. "
        "En måling laver ingen ny version. Giv indikatoren et `id` i delaftalen, og henvis til det med "
        "`indikator`. Målingerne vises på den gældende delaftales side under tabellen med delmål og "
        "indikatorer.",
        "",
        *_field_lines(Maalinger, placement),
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"


def _examples(corpus: Corpus | None) -> list[str]:
    roles = _example(
        corpus,
        lambda m: next((a for a in m.aktiviteter if getattr(a, "roller", None)), None),
        lambda a, m: _yaml_lines(
            {
                "aktiviteter": [
                    {
                        "id": a.id,
                        "navn": a.navn,
                        "…": "…",
                        "roller": [
                            r.model_dump(mode="json", exclude_defaults=True, exclude={"kontaktpersoner"})
                            for r in a.roller[:2]
                        ],
                    }
                ]
            }
        ),
    )
    parties = _example(
        corpus,
        lambda m: m.parter[:1] if m.parter else None,
        lambda groups, m: _yaml_lines(
            {
                "parter": [
                    g.model_dump(
                        mode="json", exclude_defaults=True, exclude={"deltagere": {"__all__": {"kontaktpersoner"}}}
                    )
                    for g in groups
                ]
            }
        ),
    )
    if not (roles or parties):
        return []
    return [
        "### Eksempler fra sitets aftaler {: #eksempler }",
        "",
        "Parter (kontaktpersoner er udeladt her):",
        "",
        *parties,
        "Ansvars- og rollefordeling i en aktivitet (`part:` henviser til planens parter; `betegnelse` er "
        "overskriften, som aftalen skriver den):",
        "",
        *roles,
    ]


def _vocabulary_example(corpus: Corpus | None) -> list[str]:
    names = list((corpus.area_names if corpus else {}).items())
    area_id, name = names[0] if names else ("tryghed-og-trivsel", "Tryghed og trivsel")
    return [
        "Eksempel (den første post i sitets liste, med en variant):",
        "",
        *(
            "    " + line
            for line in _yaml_lines(
                {"indsatsomraader": [{"id": area_id, "navn": name, "varianter": [f"Indsatsområdet {name.lower()}"]}]}
            )
        ),
        "",
    ]
