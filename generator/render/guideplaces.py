"""Where each field of the models shows on the site, found by rendering: a synthetic instance
of each model (:class:`~generator.render.guidefields.Synthetic`), every field holding a unique
marker, is rendered with the project's own templates and converted as the site converts it; the
headings above each marker are the field's place on the page, and the page's headings in order
its outline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from pydantic import BaseModel

from generator.corpus import Agreement, PlanEntry, Version, Visningsstatus
from generator.model.delaftale import GENERATIONS, DelaftaleBase, Dokumentstatus
from generator.model.indicators import Maalinger
from generator.model.outline import OUTLINES, PLAN_DOCUMENT_OUTLINE
from generator.model.plan import Plan
from generator.render.guidefields import Synthetic, field_paths, type_of
from generator.render.html import convert
from generator.render.partners import Partner
from generator.render.renderer import Renderer


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


_CACHE: dict[tuple, dict[str, tuple[Placement, Synthetic]]] = {}  # one entry: the last templates seen


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
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = find_placements(templates_dir)
    return _CACHE[key]


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
