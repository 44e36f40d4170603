"""What the site consists of, as one value: :func:`build_site` reads the project and returns a
:class:`Site`; :func:`problem_site` is the site that shows what stops the real one.

Knows nothing of MkDocs. The MkDocs plugin hands a Site's pages and files to MkDocs, and
``delaftale render --ud DIR`` writes the same Site as files (``Site.files_to_write``): the
generated pages as Markdown, the writing guide, the data page, the feed, the redirect stubs,
the open data and the figures.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from generator.base.problems import DelaftaleError
from generator.corpus import Corpus, load_corpus
from generator.model.fingerprints import RecordedVersion
from generator.publish.feed import FEED_URI, atom_feed
from generator.publish.manifest import Manifest, version_records
from generator.publish.opendata import DATA_PAGE, DEFAULT_LICENSE, open_data
from generator.publish.opendata import data_page as open_data_page
from generator.publish.pdf import PdfSource, pdf_sources
from generator.publish.problempage import addresses_from_folders, problem_pages
from generator.publish.redirects import redirect_page, redirects, version_aliases
from generator.publish.siteurl import PRODUCTION_VARIABLE, production_build, site_url_problem
from generator.render.guide import GUIDE_URI, writing_guide
from generator.render.html import PackedHtml
from generator.render.renderer import AREA_INDEX, MUNICIPALITY_INDEX, PARTNER_INDEX, RenderedPage, Renderer
from generator.source.symlinks import links_leading_outside

__all__ = ["Site", "SiteOptionError", "SiteOptions", "build_site", "check_before_reading", "problem_site"]


class SiteOptionError(ValueError):
    """A setting (mkdocs.yml, the environment) that cannot be built with; the message is Danish."""


@dataclass(frozen=True)
class SiteOptions:
    """What decides the site, besides the files: mkdocs.yml's settings (or their defaults)."""

    root: Path  # the project: mkdocs.yml's folder
    agreements_dir: Path
    templates_dir: Path
    site_name: str = "Boligsociale delaftaler"
    site_url: str | None = None
    reference_date: date | None = None  # None: today
    show_contacts: bool = True
    mask_contacts: bool = True
    data_license: str = DEFAULT_LICENSE
    include_drafts: bool = False
    preview_plan: str | None = None
    published_addresses: Path | None = None  # the manifest as last published
    pdfs: bool = True  # False for the live builds of `mkdocs serve`: a preview makes no PDFs


@dataclass(frozen=True)
class Site:
    """Everything the site consists of, besides the hand-written pages of docs/.

    ``pages``: the generated pages (metadata and Markdown), converted by the generator;
    ``html``: their HTML once converted (:meth:`converted`, which lets go of the Markdown);
    ``guide``: the writing guide, Markdown converted like a docs/ page; ``files``: URI -> content
    copied as is (the feed, the open data, the redirect stubs); ``figures``: URI -> image file."""

    pages: Mapping[str, RenderedPage]
    guide: str | None = None
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    figures: Mapping[str, Path] = field(default_factory=dict)
    redirects: Mapping[str, str] = field(default_factory=dict)  # old address -> new (and version aliases)
    data_files: tuple[str, ...] = ()  # the open data's URIs among ``files``
    records: Mapping[str, RecordedVersion] = field(default_factory=dict)  # published versions' fingerprints
    drafts: frozenset[str] = frozenset()  # addresses of drafts: shown in a preview, never recorded
    pdfs: tuple[PdfSource, ...] = ()
    complete: bool = True  # every version is built (not a preview of one plan)
    notes: tuple[str, ...] = ()
    preview: str | None = None  # the one plan a preview builds
    problems: DelaftaleError | None = None  # a problem site: what keeps the real one from building
    html: Mapping[str, PackedHtml] = field(default_factory=dict)

    def converted(self, html: Mapping[str, PackedHtml]) -> Site:
        """The site with its pages' HTML and without their Markdown (a third of a build's memory)."""
        bare = {uri: RenderedPage(page.meta, "") for uri, page in self.pages.items()}
        return dataclasses.replace(self, pages=bare, html=dict(html))

    def files_to_write(self) -> Iterator[tuple[str, str | bytes | Path]]:
        """(path, content or the file to copy) of everything the site adds to docs/, as
        ``delaftale render`` writes it: pages as Markdown with their front matter."""
        for uri, page in self.pages.items():
            yield uri, page.markdown
        if self.guide is not None:
            yield GUIDE_URI, self.guide
        yield from self.files.items()
        yield from sorted(self.figures.items())

    def manifest(self, page_urls: list[str], pdf_addresses: list[str]) -> Manifest:
        """The address manifest of this build: every page but the drafts, the feed, the PDFs."""
        pages = [url for url in page_urls if url not in self.drafts] + [FEED_URI, *pdf_addresses]
        return Manifest.of_build(pages, dict(self.redirects), dict(self.records), list(self.data_files))


def reference_date(configured: str | None) -> date:
    """The date that decides which version is current: mkdocs.yml's, else SOURCE_DATE_EPOCH's
    (reproducible builds), else today."""
    if configured:
        try:
            return date.fromisoformat(configured)
        except ValueError:
            raise SiteOptionError(
                f"mkdocs.yml: reference_date: '{configured}' er ikke en dato — skriv fx 2025-01-31"
            ) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError):
            raise SiteOptionError(f"SOURCE_DATE_EPOCH='{epoch}' er ikke et antal sekunder siden 1970") from None
    return date.today()


def build_site(options: SiteOptions, cache: dict | None = None) -> Site:
    """Read, check and render the whole site. A DelaftaleError lists every problem of the
    sources; a SiteOptionError says which setting is wrong. ``cache``: files read by earlier
    builds of this process (``mkdocs serve``)."""
    corpus = load_corpus(
        options.agreements_dir,
        root=options.root,
        cache=cache,
        reference_date=options.reference_date or reference_date(None),
        published=_published(options.published_addresses),
        include_drafts=options.include_drafts,
    )
    preview = _preview_plan(corpus, options.preview_plan)
    renderer = Renderer(options.templates_dir, show_contacts=options.show_contacts, site_url=options.site_url)
    pages = renderer.render_corpus(corpus, only_plan=preview)
    shown = corpus.only(preview) if preview else corpus
    moved, renamed, records, stubs = _addresses(shown, options.site_url)
    data = open_data(
        shown,
        site_url=options.site_url,
        license_id=options.data_license,
        site_name=options.site_name,
        moved=renamed,
        mask_contacts=options.mask_contacts,
    )
    pages[DATA_PAGE] = open_data_page(renderer, data)
    drafts = {
        a.version_src_uri(v).removesuffix("index.md") for a in shown.agreements for v in a.versions if not v.published
    }
    return Site(
        pages=pages,
        guide=writing_guide(options.templates_dir, corpus),
        files={FEED_URI: atom_feed(shown, options.site_name, options.site_url), **data.files, **stubs},
        figures={uri: path for page in pages.values() for uri, path in page.figure_files.items()},
        redirects=moved,
        data_files=tuple(data.files),
        records=records,
        drafts=frozenset(drafts),
        pdfs=tuple(pdf_sources(shown, options.site_url)) if options.pdfs else (),
        complete=preview is None,
        notes=tuple(corpus.notes),
        preview=preview,
    )


def problem_site(error: DelaftaleError, options: SiteOptions, shown: set[str], previous: Site | None = None) -> Site:
    """`mkdocs serve` with broken sources: a site whose generated pages all show the problems,
    at every address the author may be looking at (``shown``: the pages of the last good build;
    else the ones the folders promise). The writing guide stays, when the templates give it."""
    where = shown | addresses_from_folders(options.agreements_dir)
    where |= {"index.md", AREA_INDEX, MUNICIPALITY_INDEX, PARTNER_INDEX, DATA_PAGE}
    feed = previous.files.get(FEED_URI) if previous is not None else None
    feed = feed or atom_feed(Corpus([], date.today()), options.site_name, options.site_url)
    guide = previous.guide if previous is not None else None
    if guide is None:  # the guide needs only the templates: keep it in the nav
        try:
            guide = writing_guide(options.templates_dir)
        except DelaftaleError:
            guide = None
    return Site(
        pages=problem_pages(error, where),
        guide=guide,
        files={FEED_URI: feed},
        complete=False,
        problems=error,
    )


def _preview_plan(corpus: Corpus, wanted: str | None) -> str | None:
    if not wanted:
        return None
    known = [entry.plan.id for entry in corpus.plans]
    if wanted not in known:
        close = difflib.get_close_matches(wanted, known, n=3)
        hint = f"mente du {' eller '.join(close)}?" if close else f"planerne er fx {', '.join(known[:5])}"
        raise SiteOptionError(f"mkdocs.yml: preview_plan (DELAFTALER_PLAN): planen '{wanted}' findes ikke — {hint}")
    return wanted


# Addresses: the published record, redirects and the public address.


def _published(path: Path | None) -> Mapping[str, RecordedVersion]:
    """The records of the versions the manifest last published (none before the first)."""
    return Manifest.read_published(path).versioner if path is not None else {}


def _addresses(shown: Corpus, site_url: str | None) -> tuple[dict, dict, dict, dict]:
    """(every old address -> new, renamed ids alone, published versions' records, the redirect
    stubs as files)."""
    renamed = redirects(shown)
    moved = renamed | version_aliases(shown)
    stubs = {old + "index.html": redirect_page(old, new, site_url) for old, new in moved.items()}
    return moved, renamed, version_records(shown), stubs


def check_before_reading(options: SiteOptions, folders: list[Path]) -> str | None:
    """Raise SiteOptionError for what refuses the build before anything is read (a symbolic link
    leading out of the project, a published build without its address); else a note, or None."""
    outside = links_leading_outside(options.root, folders)
    if outside:
        raise SiteOptionError(f"{outside.report()}\nIntet er læst eller bygget; det tidligere site er uændret.")
    refused, note = site_url_check(options.site_url)
    if refused:
        raise SiteOptionError(refused)
    return note


def site_url_check(site_url: str | None) -> tuple[str | None, str | None]:
    """(why the build is refused, a note for the log): a published build needs the public
    address; any other build without it gets a note."""
    problem = site_url_problem(site_url)
    if problem and production_build():
        return (
            f"mkdocs.yml: site_url: {problem}.\n{PRODUCTION_VARIABLE} er sat, så sitet skal "
            "udgives. Intet er bygget; det tidligere site er uændret."
        ), None
    if problem:
        return None, (
            f"Bemærk: {problem}. Sæt den, før sitet udgives (med {PRODUCTION_VARIABLE}=1 fejler bygningen uden)."
        )
    return None, None
