"""Render the corpus into Markdown pages with the Jinja templates in ``templates/``.

Knows nothing of MkDocs: the output is a mapping of source URI (``plan/delaftale/index.md``)
to Markdown text, which the plugin hands to MkDocs and tests compare with golden files.

Templates:
- ``forside.md.j2``                     the landing page (all plans)
- ``plan.md.j2``                        one plan
- ``delaftale/<skabelon>.md.j2``        a delaftale, per template generation (its LBF standard texts)
- ``komponenter/*.md.j2``               parts every generation shares (indicator table, roles, …)
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path

import jinja2
import yaml
from cmarkgfm.cmark import Options
from markupsafe import Markup
from pydantic import BaseModel

from generator.base.gcpause import without_gc_pauses
from generator.base.parallel import in_two
from generator.base.problems import DelaftaleError, Problem, display_path
from generator.base.typography import danish_date, superscript
from generator.corpus import Agreement, Corpus, PlanEntry, Version, Visningsstatus
from generator.model import outline
from generator.model.fields import danish_number, suggest_id
from generator.model.indicators import INDICATOR_COLUMNS
from generator.model.parties import Kontaktperson, PartReference
from generator.render import charts
from generator.render.commonmark import commonmark_html
from generator.render.diff import compare
from generator.render.partners import Partner, collect_partners
from generator.render.templatecache import AGREEMENT_TEMPLATES
from generator.source import crossrefs, figures

PARTNER_INDEX = "parter/index.md"
AREA_INDEX = "indsatsomraader/index.md"
MUNICIPALITY_INDEX = "kommuner/index.md"


PARTY_TYPES = {
    "kommune": "Kommunal part",
    "boligorganisation": "Boligorganisation",
    "boligsocial_indsats": "Boligsocial indsats",
    "politi": "Politi",
    "forening": "Forening",
    "andet": "Anden part",
}


def persons(people: list[Kontaktperson]) -> str:
    """'Borgerservice- og sekretariatschef Louise Svarre Jakobsen og …' as agreements write it."""
    return " og ".join(" ".join(filter(None, (p.titel, p.navn))) for p in people)


def contact_line(person: Kontaktperson) -> str:
    """'Souschef Jesper Lyngsø-Dahl, jeslyn@buf.kk.dk' — one person as a contact."""
    line = " ".join(filter(None, (person.titel, person.navn)))
    line += f", {person.email}" if person.email else ""
    return line + (f", tlf. {person.telefon}" if person.telefon else "")


def personal(text: str) -> Markup:
    """Personal data (names, e-mail addresses) shown on the page but kept out of the search index."""
    return Markup('<span class="kontaktperson" data-search-exclude>{}</span>').format(text)


_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>&!\\#|~\n]|^\s*(?:[-+>]|\d+[.)])\s")


def cell_markdown(text: str | None) -> Markup:
    """Markdown -> HTML for text inside raw HTML (table cells), where Markdown is not parsed."""
    if not text:
        return Markup("")
    if not _MARKDOWN_SYNTAX.search(text):  # most cells are plain words and numbers
        return Markup(escape(text, quote=False))
    html = commonmark_html(text, Options.CMARK_OPT_UNSAFE).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    # The result is inserted into an HTML block; every page is sanitised after conversion.
    return Markup(html)


@dataclass(frozen=True)
class RenderedPage:
    """A generated page: its metadata (MkDocs' ``page.meta``) and its Markdown body. The plugin
    hands both to MkDocs as they are; ``markdown`` is the page as a file, with front matter."""

    meta: dict
    body: str
    inserts: dict = field(default_factory=dict)  # marker -> trusted HTML put in after sanitising (charts.py)
    figures: dict = field(default_factory=dict)  # image as the text writes it -> its published URI (figures.py)
    figure_files: dict = field(default_factory=dict)  # published URI -> the image file beside the YAML

    @property
    def markdown(self) -> str:
        head = yaml.safe_dump(self.meta, allow_unicode=True, sort_keys=False, width=10_000)
        return f"---\n{head}---\n\n{self.body}"


def search_filters(entry: PlanEntry, area: str | None = None, kind: str | None = None) -> dict[str, str]:
    """What a reader can narrow search results to (Pagefind filters; names are shown as is).
    ``area`` is the vocabulary's name of the focus area, so one area is one choice whatever
    each agreement calls it; ``kind`` the type of page (Delaftale, Helhedsplan, Part)."""
    filters = {"Helhedsplan": entry.plan.navn, "Kommune": entry.plan.kommune}
    return filters | ({"Indsatsområde": area} if area else {}) | ({"Sidetype": kind} if kind else {})


def _markdown_link_text(text: str) -> str:
    """Text inside [...] of a Markdown link: brackets escaped, so a name cannot end the link."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


class TemplateProblem(DelaftaleError):
    """A template (not an agreement) is broken: named with its file and line."""

    def __init__(self, filename: str, line: int | None, message: str):
        super().__init__([Problem(display_path(Path(filename)), line, "", message)])


def _template_position(exc: BaseException, fallback: str) -> tuple[str, int | None]:
    """The template file and line inside a Jinja traceback (templates are compiled code)."""
    tb = exc.__traceback__
    found: tuple[str, int | None] = (fallback, None)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


class Renderer:
    def __init__(self, templates_dir: Path, *, show_contacts: bool = True, site_url: str | None = None):
        self.templates_dir = templates_dir
        self.show_contacts = show_contacts
        self.site_url = site_url or None  # the public address (mkdocs.yml site_url), when known
        self._published: dict[tuple[str, str], str] = {}  # (plan, delaftale) -> source URI
        self._partner_pages: dict[tuple[str, str], str] = {}  # (plan, part) -> the partner page's source URI
        self._area_names: dict[str, str] = {}  # the focus-area vocabulary: id -> name
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates_dir)),
            auto_reload=False,  # a Renderer lives for one build; serve makes a new one per build
            bytecode_cache=AGREEMENT_TEMPLATES,  # ... but compiles only templates whose source changed
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # the output is Markdown; HTML contexts use |e explicitly
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            dato=danish_date,
            personer=persons,
            celle=cell_markdown,
            parttype=lambda kind: PARTY_TYPES.get(kind, kind),
            slug=suggest_id,
            tal=danish_number,
            hævet=superscript,
            personlig=personal,
            kontaktlinje=contact_line,
        )
        self.env.globals["vis_kontakter"] = show_contacts
        self.env.globals["indikatorkolonner"] = INDICATOR_COLUMNS  # the indicator table, declared once
        # Templates compare statuses with the members, not with the words: a misspelt one is an error.
        self.env.globals["Visningsstatus"] = Visningsstatus
        self.env.globals["sektioner"] = outline.placed_sections  # a document's sections in its order
        self.env.globals["aktivitetsliste"] = outline.activity_list  # its list of activities, in the list's order
        self._inserts: dict[str, str] = {}  # the page being rendered: its charts (charts.figure)
        self.env.globals["maalingsgraf"] = lambda indikator, serie: Markup(
            charts.figure(indikator, serie, self._inserts)
        )
        # Addresses a reader keeps (permanent links, printouts); without an argument: this page's.
        self.env.globals.update(
            adresse=jinja2.pass_context(
                lambda context, uri=None: address(uri or context["link"].from_uri, context["link"], self.site_url)
            ),
            adressetekst=jinja2.pass_context(
                lambda context, uri=None: address_text(uri or context["link"].from_uri, self.site_url)
            ),
        )

    def render_page(
        self,
        template: str,
        front_matter: dict,
        *,
        own_plan: str | None = None,
        source: tuple[BaseModel, Path] | None = None,
        **context,
    ) -> RenderedPage:
        """One page from ``template`` (every page the renderer makes, and the data page). ``source``: the
        model the page shows and its YAML file, whose folder holds its figures."""
        # MkDocs themes print title and description without escaping: escape them here.
        front_matter = {key: escape(value) if isinstance(value, str) else value for key, value in front_matter.items()}
        self._inserts = {}
        try:
            body = self.env.get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateProblem(
                exc.filename or exc.name or template, exc.lineno, f"fejl i skabelonen: {exc.message}"
            ) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateProblem(
                str(self.templates_dir / template), None, f"skabelonen '{exc.name}' findes ikke i {self.templates_dir}"
            ) from None
        except jinja2.TemplateError as exc:
            filename, line = _template_position(exc, template)
            raise TemplateProblem(filename, line, f"fejl i skabelonen: {exc}") from None
        if own_plan is not None:  # pages with author text: resolve their cross-references
            uri = context["link"].from_uri
            body = crossrefs.resolve(
                body, own_plan, lambda t: self._published.get((t.plan, t.agreement)), page_linker(uri)
            )
        found, files = {}, {}
        if source is not None:
            model, path = source
            found = figures.of_model(model, path)
            files = {uri: str(path.parent / src) for src, uri in found.items()}
        return RenderedPage(front_matter, f"{body.strip()}\n", self._inserts, found, files)

    def render_landing(self, corpus: Corpus) -> RenderedPage:
        return self.render_page("forside.md.j2", {"title": "Delaftaler"}, corpus=corpus, link=page_linker("index.md"))

    def _party_namer(self, entry: PlanEntry, link):
        """A Jinja helper: a party's name (or ``text``, e.g. the heading the agreement writes for
        its role), as a link to its partner page where it has one (registered and in a current
        agreement, see partners.collect_partners); free names stay text."""
        parties = entry.parties

        def name(ref: PartReference, text: str | None = None) -> str:
            shown = text or _party_name(parties, ref)
            page = self._partner_pages.get((entry.plan.id, ref.part)) if ref.part else None
            return f"[{_markdown_link_text(shown)}]({link(page)})" if page else shown

        return name

    def render_plan(self, entry: PlanEntry) -> RenderedPage:
        link = page_linker(entry.src_uri)
        return self.render_page(
            "plan.md.j2",
            {
                "title": entry.plan.navn,
                "description": f"Delaftaler i {entry.plan.navn}, {entry.plan.kommune}",
                "soegefiltre": search_filters(entry, kind="Helhedsplan"),
                "soegemeta": {"status": entry.status.value},  # front matter is YAML: the plain word
            },
            plan=entry,
            link=link,
            partnavn=self._party_namer(entry, link),
            source=(entry.plan, entry.source),
            partside=lambda part_id: (
                link(self._partner_pages[(entry.plan.id, part_id)])
                if (entry.plan.id, part_id) in self._partner_pages
                else None
            ),
            own_plan=entry.plan.id,
        )

    def render_agreement(self, agreement: Agreement, version: Version | None = None) -> RenderedPage:
        """The undated page (current version) or, given a version, its dated page."""
        dated = version is not None
        version = version or agreement.current
        model = version.model
        uri = agreement.version_src_uri(version) if dated else agreement.src_uri
        label = f"{model.indsatsomraade} — {agreement.plan.plan.navn}"
        status = agreement.status_of(version).value  # front matter is YAML: the plain word
        area = self._area_names.get(agreement.area_id, model.indsatsomraade)
        front: dict = {
            "title": model.visningstitel,
            "description": label,
            "soegetitel": label,
            "soegefiltre": search_filters(agreement.plan, area, "Delaftale"),
            "soegemeta": {"status": status} | ({"resume": _plain(model.resume)} if model.resume else {}),
            "aftalestatus": status,
        }  # printed with the page's address (site_overrides/main.html)
        if dated:
            front["title"] += f" (version fra {danish_date(model.gyldig_fra)})"
            front["search"] = {"exclude": True}  # search finds the undated current page, once
        link = page_linker(uri)
        party_name = self._party_namer(agreement.plan, link)

        return self.render_page(
            f"delaftale/{model.skabelon}.md.j2",
            front,
            aftale=model,
            plan=agreement.plan,
            agreement=agreement,
            version=version,
            partnavn=party_name,
            link=link,
            dateret=dated,
            own_plan=agreement.plan.plan.id,
            source=(model, version.source),
        )

    def render_history(self, agreement: Agreement) -> RenderedPage:
        return self.render_page(
            "historik.md.j2",
            {
                "title": f"Versioner: {agreement.current.model.indsatsomraade}",
                "description": f"Alle versioner af delaftalen for {agreement.current.model.indsatsomraade}",
                "search": {"exclude": True},
            },  # its texts are the versions' texts: found there
            agreement=agreement,
            link=page_linker(agreement.history_src_uri),
            sammenlign=lambda old, new: compare(old, new, {i: p.navn for i, p in agreement.plan.parties.items()}),
        )

    def render_partner(self, partner: Partner) -> RenderedPage:
        return self.render_page(
            "parter/part.md.j2",
            {
                "title": partner.part.navn,
                "description": f"{partner.part.navn}: opgaver i delaftaler for {partner.plan.plan.navn}",
                # Indexed by its name and description only: the duties are the agreements' own text,
                # found there (the template keeps them out of the index); indexing them again would
                # double the index a first query loads (measured: bench/run.py).
                "soegefiltre": search_filters(partner.plan, kind="Part"),
            },
            partner=partner,
            link=page_linker(partner.src_uri),
        )

    def render_partner_index(self, partners: list[Partner]) -> RenderedPage:
        return self.render_page(
            "parter/index.md.j2", {"title": "Parter"}, partnere=partners, link=page_linker(PARTNER_INDEX)
        )

    def render_overviews(self, corpus: Corpus, partners: list[Partner]) -> dict[str, RenderedPage]:
        """Focus areas and municipalities across plans."""
        pages = {
            AREA_INDEX: self.render_page(
                "oversigter/indsatsomraader.md.j2",
                {"title": "Indsatsområder"},
                corpus=corpus,
                link=page_linker(AREA_INDEX),
            ),
            MUNICIPALITY_INDEX: self.render_page(
                "oversigter/kommuner.md.j2", {"title": "Kommuner"}, corpus=corpus, link=page_linker(MUNICIPALITY_INDEX)
            ),
        }
        for area in corpus.areas:
            pages[area.src_uri] = self.render_page(
                "oversigter/indsatsomraade.md.j2",
                {"title": area.navn, "description": f"Delaftaler for {area.navn} i alle helhedsplaner"},
                area=area,
                link=page_linker(area.src_uri),
                maal=_goals,
                delte=charts.shared_indicators(area),
            )
        for municipality in corpus.municipalities:
            pages[municipality.src_uri] = self.render_page(
                "oversigter/kommune.md.j2",
                {"title": municipality.navn, "description": f"Helhedsplaner og parter i {municipality.navn}"},
                kommune=municipality,
                partners=partners,
                link=page_linker(municipality.src_uri),
            )
        return pages

    @without_gc_pauses
    def render_corpus(self, corpus: Corpus, *, only_plan: str | None = None) -> dict[str, RenderedPage]:
        """Every page; with ``only_plan``, that plan's pages and the overviews of it alone."""
        self._published = {(a.plan.plan.id, a.id): a.src_uri for a in corpus.agreements}
        self._area_names = corpus.area_names
        if only_plan is not None:
            corpus = corpus.only(only_plan)
        partners = collect_partners(corpus)
        self._partner_pages = {(p.plan.plan.id, p.part.id): p.src_uri for p in partners}
        pages = {"index.md": self.render_landing(corpus)}
        # The plans' own pages are most of the work and independent of each other: two processes.
        for share in in_two(lambda plans: self._render_plans(plans, partners), corpus.plans):
            pages.update(share)
        pages[PARTNER_INDEX] = self.render_partner_index(partners)
        pages.update(self.render_overviews(corpus, partners))
        return pages

    def _render_plans(self, plans: Sequence[PlanEntry], partners: list[Partner]) -> dict[str, RenderedPage]:
        """Each plan's page, its delaftaler (current, other versions, history) and its partners."""
        pages: dict[str, RenderedPage] = {}
        ids = {entry.plan.id for entry in plans}
        for entry in plans:
            pages[entry.src_uri] = self.render_plan(entry)
            for agreement in entry.agreements:
                pages[agreement.src_uri] = self.render_agreement(agreement)
                if agreement.has_history:
                    pages[agreement.history_src_uri] = self.render_history(agreement)
                for version in filter(agreement.own_page, agreement.versions):
                    pages[agreement.version_src_uri(version)] = self.render_agreement(agreement, version)
        for partner in partners:
            if partner.plan.plan.id in ids:
                pages[partner.src_uri] = self.render_partner(partner)
        return pages


def _goals(model) -> list[str]:
    """What a delaftale aims at, whatever its generation: delmål, success criteria, or purpose."""
    if getattr(model, "delmaal", None):
        return [goal.tekst for goal in model.delmaal]
    if getattr(model, "succeskriterier", None):
        return [criterion.tekst for criterion in model.succeskriterier]
    return [model.formaal] if getattr(model, "formaal", None) else []


def _plain(markdown: str) -> str:
    """A short Markdown text (a resumé) as plain text, for search results."""
    html = commonmark_html(markdown)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _party_name(parties: dict, ref: PartReference) -> str:
    """A known party's registered name, or the free name the author wrote."""
    return parties[ref.part].navn if ref.part else ref.navn  # type: ignore[return-value]


def page_linker(from_uri: str):
    """A Jinja helper: the relative URL from the page being rendered to another page, given by
    its source URI (``plan/delaftale/index.md`` -> ``../../plan/delaftale/``). Generated pages
    are converted by ``pagehtml``, not by MkDocs, so links are written as final URLs."""

    base = posixpath.dirname(from_uri) or "."

    def link(to_uri: str) -> str:
        return _relative_url(to_uri, base)

    link.from_uri = from_uri  # type: ignore[attr-defined]
    return link


def address(to_uri: str, link, site_url: str | None) -> str:
    """A Jinja helper for addresses a reader keeps (permanent links, printouts): the absolute
    URL when the site's public address is known, else the relative link from the page."""
    if site_url:
        return site_url.rstrip("/") + "/" + to_uri.removesuffix("index.md")
    return link(to_uri)


def address_text(to_uri: str, site_url: str | None) -> str:
    """The address shown as text: absolute when the public address is known, else the path
    from the site's root (``plan/delaftale/2024-01-01/``)."""
    path = to_uri.removesuffix("index.md")
    return site_url.rstrip("/") + "/" + path if site_url else path


@functools.lru_cache(maxsize=65_536)  # the same few targets from the same folders, thousands of times
def _relative_url(to_uri: str, base: str) -> str:
    return posixpath.relpath(to_uri.removesuffix("index.md") or ".", base).rstrip("/") + "/"
