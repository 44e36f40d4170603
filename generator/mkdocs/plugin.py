"""The MkDocs plugin: glue between MkDocs events and the generator's plain functions.

Everything is read and validated in ``on_config``: an agreement with errors stops the build
with every problem listed before anything is written. ``mkdocs build`` then writes into a fresh
folder beside ``site/``, which takes the place of ``site/`` in one step only once the build has
completed (sitedir.py): whatever stops a build (a late failure such as a broken link in strict
mode, Ctrl-C, SIGTERM, SIGKILL, a full disk) leaves the previous site untouched.
"""

from __future__ import annotations

import difflib
import errno
import logging
import os
import re
import signal
import sys
import tempfile
import threading
from datetime import UTC, date, datetime
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.base.parallel import in_two
from generator.base.problems import DelaftaleError, Problem, display_path
from generator.corpus import Corpus, load_corpus
from generator.mkdocs.config import DelaftalerConfig
from generator.mkdocs.pages import GeneratedPage, nav_titles
from generator.mkdocs.problempage import addresses_from_folders, problem_html, problem_pages
from generator.mkdocs.watching import watch_changes
from generator.publish.feed import FEED_URI, atom_feed
from generator.publish.manifest import MANIFEST, Manifest, version_records
from generator.publish.opendata import DATA_PAGE, OpenData, data_page, open_data
from generator.publish.pdf import pdf_sources, write_pdfs
from generator.publish.pdfcache import PdfCache, open_cache
from generator.publish.redirects import redirect_page, redirects, version_aliases
from generator.publish.search import BackgroundIndex, remove_abandoned_scratch, search_documents
from generator.publish.siteurl import PRODUCTION_VARIABLE, production_build, site_url_problem
from generator.publish.staging import StagedSite, recover, site_problem
from generator.render.guide import GUIDE_URI, writing_guide
from generator.render.html import PackedHtml, convert
from generator.render.renderer import AREA_INDEX, MUNICIPALITY_INDEX, PARTNER_INDEX, RenderedPage, Renderer
from generator.render.templatecache import THEME_TEMPLATES
from generator.source.symlinks import links_leading_outside


def reference_date(configured: str | None) -> date:
    if configured:
        try:
            return date.fromisoformat(configured)
        except ValueError:
            raise PluginError(
                f"mkdocs.yml: reference_date: '{configured}' er ikke en dato — skriv fx 2025-01-31"
            ) from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).date()
        except (ValueError, OverflowError):
            raise PluginError(f"SOURCE_DATE_EPOCH='{epoch}' er ikke et antal sekunder siden 1970") from None
    return date.today()


def navigation() -> list:
    """The same few entries on every page, whatever the number of plans.

    Material writes the whole navigation into every page, so a nav listing every plan and
    delaftale grows every page with the corpus (626 KB a page and a quadratic build at 1,000
    pages). Plans -> delaftaler is walked in the pages instead: the landing page lists the plans
    by municipality, a plan page its delaftaler, and each delaftale shows its plan and siblings."""
    return [
        {"Forside": "index.md"},
        {"Indsatsområder": AREA_INDEX},
        {"Kommuner": MUNICIPALITY_INDEX},
        {"Parter": PARTNER_INDEX},
        {"Data": DATA_PAGE},
        {"Skrivevejledning": GUIDE_URI},
    ]


def _convert_all(pages: list[tuple[str, RenderedPage]]) -> dict[str, PackedHtml]:
    return {uri: convert(page.body, page.inserts, page.figures, uri).packed() for uri, page in pages}


log = logging.getLogger(f"mkdocs.plugins.{__name__}")


def _stop_on_sigterm(signum, frame):
    # SIGTERM ends Python without running `finally`; as an exception it unwinds like Ctrl-C, so
    # the build folder and the search process are cleaned up (SIGKILL is covered by sitedir.py).
    raise SystemExit(128 + signum)


def _is_serve_folder(site_dir: str) -> bool:
    """`mkdocs serve --clean` starts plugins as 'build', but builds into its own temporary folder."""
    folder = Path(site_dir)
    return folder.name.startswith("mkdocs_") and folder.parent == Path(tempfile.gettempdir())


def _site_dir_problem(config: MkDocsConfig, through_link: bool) -> DelaftaleError | None:
    """The folder the build would replace, checked (sitedir.site_problem), located at mkdocs.yml's
    ``site_dir`` line, or said to come from the command line (``mkdocs build -d``)."""
    problem = site_problem(Path(config.site_dir), through_link=through_link)
    if problem is None:
        return None
    config_file = Path(config.config_file_path)
    line, configured = None, "site"  # MkDocs' default
    for number, text in enumerate(config_file.read_text(encoding="utf-8").splitlines(), 1):
        found = re.match(r"site_dir\s*:\s*(['\"]?)(.*?)\1\s*(?:#.*)?$", text)
        if found:
            line, configured = number, found[2]
    from_config = configured.startswith("!") or (  # a tag (!ENV): taken as what mkdocs.yml gave
        os.path.abspath(config_file.parent / configured) == os.path.abspath(config.site_dir)
    )
    if not from_config:
        line, problem = None, f"(angivet med -d/--site-dir) {problem}"
    return DelaftaleError([Problem(display_path(config_file), line, "site_dir", problem)])


def _os_problem(error: OSError) -> str:
    where = error.filename2 or error.filename  # a copy names its source first, the target second
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        what = "der er ikke mere plads på disken — frigør plads, og byg igen"
    else:
        what = f"filsystemet svarede '{error.strerror}' — tjek rettighederne og pladsen, og byg igen"
    return f"Sitet kunne ikke skrives{f' ({where})' if where else ''}: {what}"


class DelaftalerPlugin(BasePlugin[DelaftalerConfig]):
    _dirty = False
    _command: str | None = None
    _staged: StagedSite | None = None  # the folder this build writes, until it replaces site/
    _published_dir: str | None = None  # site_dir as configured, while MkDocs writes _staged
    _completed = False
    _index: BackgroundIndex | None = None  # the search index, building beside MkDocs
    _serving = False  # `mkdocs serve`: a broken agreement shows its problems in the browser
    _problems: DelaftaleError | None = None  # what keeps this serve build from being the real site
    _previous_sigterm = None
    _pdf_cache: PdfCache | None = None  # the checked PDF cache, when this build makes PDFs
    _complete = False
    _watcher = None  # the inotify observer of `mkdocs serve` (watching.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._converted: dict = {}
        self._cache: dict = {}  # files read in earlier builds of this `mkdocs serve`
        self._command = command
        self._dirty = dirty
        self._serving = command == "serve"
        self._shown: set[str] = set()  # pages of the last good build of this serve: where problems show
        if (
            command != "serve"
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        ):
            self._previous_sigterm = signal.signal(signal.SIGTERM, _stop_on_sigterm)

    def _stages(self, config: MkDocsConfig) -> bool:
        """Whether this build writes a folder that replaces site/ when complete (not the live
        builds of `mkdocs serve`, which write a temporary folder of their own)."""
        return self._command in ("build", "gh-deploy") and not _is_serve_folder(config.site_dir)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.agreements_dir = root / self.config.agreements_dir
        self.templates_dir = root / self.config.templates_dir
        sources = [self.agreements_dir, self.templates_dir, Path(config.docs_dir)]
        if config.theme.custom_dir:
            sources.append(Path(config.theme.custom_dir))
        outside = links_leading_outside(root, sources)
        if outside:
            raise PluginError(f"{outside.report()}\nIntet er læst eller bygget; det tidligere site er uændret.")
        self._check_site_url(config.site_url)
        self._problems = None
        if self._stages(config):
            refused = _site_dir_problem(config, self.config.publish_through_link)
            if refused:
                raise PluginError(f"{refused.report()}\nIntet er bygget eller slettet; det tidligere site er uændret.")
            recover(Path(config.site_dir))  # what a killed build may have left beside site/
        remove_abandoned_scratch()  # the search index's scratch folders of killed builds (serve's too)
        try:
            corpus = load_corpus(
                self.agreements_dir,
                root=root,
                cache=self._cache,
                reference_date=reference_date(self.config.reference_date),
                published=Manifest.read_published(root / self.config.published_addresses).versioner,
                include_drafts=self.config.include_drafts,
            )
            preview = self._preview_plan(corpus)
            renderer = Renderer(self.templates_dir, show_contacts=self.config.show_contacts, site_url=config.site_url)
            self.pages = renderer.render_corpus(corpus, only_plan=preview)
            shown = corpus.only(preview) if preview else corpus
            self.feed = atom_feed(shown, config.site_name, config.site_url)
            self.moved = redirects(shown) | version_aliases(shown)
            self.data = open_data(
                shown,
                site_url=config.site_url,
                license_id=self.config.data_license,
                site_name=config.site_name,
                moved=redirects(shown),
                mask_contacts=self.config.mask_contact_data,
            )
            self.pages[DATA_PAGE] = data_page(renderer, self.data)
            self.guide = writing_guide(self.templates_dir, corpus)
            self.records = version_records(shown)
            self.pdfs = [] if self._serving else pdf_sources(shown, config.site_url)  # a preview: no PDFs
            # Checked before anything is written: a cache folder that is a link is refused.
            self._pdf_cache: PdfCache | None = open_cache(root) if self.pdfs else None
            self._complete = preview is None  # every version is built: the cache keeps only what it uses
            self.drafts = {
                a.version_src_uri(v).removesuffix("index.md")
                for a in shown.agreements
                for v in a.versions
                if not v.published
            }
        except DelaftaleError as exc:
            if not self._serving:
                raise PluginError(f"{exc.report()}\nIntet er bygget; det tidligere site er uændret.") from None
            self._show_problems(exc, config)
        else:
            self._shown = set(self.pages)
            for note in corpus.notes:  # info, not warning: --strict builds go on
                log.info(f"Bemærk: {note}")
        if self.config.nav:
            config.nav = navigation() + list(config.nav or [])
        self._completed = False
        if self._stages(config):
            self._config = config
            self._published_dir = config.site_dir
            self._staged = StagedSite(Path(config.site_dir), keep_contents=self._dirty)
            config.site_dir = str(self._staged.folder)
        return config

    @staticmethod
    def _check_site_url(site_url: str | None) -> None:
        """A published build needs the public address; any other build gets a note."""
        problem = site_url_problem(site_url)
        if problem and production_build():
            raise PluginError(
                f"mkdocs.yml: site_url: {problem}.\n{PRODUCTION_VARIABLE} er sat, så sitet skal "
                "udgives. Intet er bygget; det tidligere site er uændret."
            )
        if problem:  # info, not warning: --strict builds without an address (tests, previews) go on
            log.info(
                f"Bemærk: {problem}. Sæt den, før sitet udgives (med {PRODUCTION_VARIABLE}=1 fejler bygningen uden)."
            )

    def _show_problems(self, error: DelaftaleError, config: MkDocsConfig) -> None:
        """`mkdocs serve` with broken sources: a site whose generated pages all show the problems
        (else the server holds every request until a build succeeds). Logged as info: a warning
        would make --strict abort the very build that shows them."""
        log.info(f"{error.report()}\nBrowseren viser fejlene, indtil de er rettet.")
        self._problems = error
        where = (
            self._shown
            | addresses_from_folders(self.agreements_dir)
            | {"index.md", AREA_INDEX, MUNICIPALITY_INDEX, PARTNER_INDEX, DATA_PAGE}
        )
        self.pages = problem_pages(error, where)
        self.data = OpenData()
        if not getattr(self, "feed", None):
            self.feed = atom_feed(Corpus([], date.today()), config.site_name, config.site_url)
        self.moved, self.records, self.drafts = {}, {}, set()  # on_post_build writes this build's manifest too
        if not getattr(self, "guide", None):  # the guide needs only the templates: keep it in the nav
            try:
                self.guide = writing_guide(self.templates_dir)
            except DelaftaleError:
                self.guide = None

    def _preview_plan(self, corpus: Corpus) -> str | None:
        wanted = self.config.preview_plan
        if not wanted:
            return None
        known = [entry.plan.id for entry in corpus.plans]
        if wanted not in known:
            close = difflib.get_close_matches(wanted, known, n=3)
            hint = f"mente du {' eller '.join(close)}?" if close else f"planerne er fx {', '.join(known[:5])}"
            raise PluginError(f"mkdocs.yml: preview_plan (DELAFTALER_PLAN): planen '{wanted}' findes ikke — {hint}")
        log.info(f"Forhåndsvisning: kun planen '{wanted}' bygges; alle filer er kontrolleret.")
        return wanted

    def on_build_error(self, *, error: Exception) -> None:
        if self._index is not None:
            self._index.cancel()
            self._index = None
        self._completed = False
        if self._staged is not None:
            self._finish_staging(publish=False)
            log.error("Bygningen fejlede; det tidligere site er uændret.")
        if isinstance(error, OSError):  # e.g. a full disk: MkDocs would print a traceback
            raise PluginError(_os_problem(error)) from None

    def on_shutdown(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self._index is not None:
            self._index.cancel()
            self._index = None
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        if self._staged is not None:
            # Only here: strict mode can still abort the build after on_post_build, and an
            # exception passing through (Ctrl-C, SIGTERM) reaches no other event.
            interrupted = sys.exc_info()[0] is not None
            self._finish_staging(publish=self._completed and not interrupted)
            if interrupted:
                log.error("Bygningen blev afbrudt; det tidligere site er uændret.")

    def _finish_staging(self, *, publish: bool) -> None:
        staged, self._staged = self._staged, None
        self._config.site_dir = self._published_dir  # e.g. `mkdocs gh-deploy` publishes it next
        # Ctrl-C or SIGTERM now would only leave the old site in the build folder: they wait.
        masks = hasattr(signal, "pthread_sigmask")  # not on Windows
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM}) if masks else None
        try:
            if publish:
                staged.publish()
            else:
                staged.discard()
        finally:
            if masks:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        generated: dict[str, File] = {}
        for uri in self.pages:
            if files.get_file_from_path(uri) is not None:
                raise PluginError(
                    f"docs/{uri} findes allerede, men siden laves ud fra aftalerne — slet eller omdøb filen"
                )
            # Reached from the landing page, plan pages and overviews, not the nav: no
            # "not included in nav" list of every agreement in the build output. No content:
            # the page is converted here (GeneratedPage), MkDocs reads nothing.
            generated[uri] = File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(generated[uri])
        files.append(File.generated(config, FEED_URI, content=self.feed))  # not Markdown: copied as is
        if getattr(self, "guide", None):  # written like docs/ pages: converted by MkDocs' Markdown
            if files.get_file_from_path(GUIDE_URI) is not None:
                raise PluginError(
                    f"docs/{GUIDE_URI} findes allerede, men siden laves ud fra datamodellen — slet eller omdøb filen"
                )
            files.append(File.generated(config, GUIDE_URI, content=self.guide))
        figures = {uri: path for page in self.pages.values() for uri, path in page.figure_files.items()}
        for uri, path in sorted(figures.items()):  # content-addressed: one file for every page showing it
            files.append(File.generated(config, uri, abs_src_path=path))
        for uri, data in self.data.files.items():  # open data: JSON beside each version, CSV in data/
            files.append(File.generated(config, uri, content=data))
        for old, new in self.moved.items():
            if files.get_file_from_path(old + "index.md") or files.get_file_from_path(old + "index.html"):
                raise PluginError(f"den gamle adresse /{old} bruges stadig af en side — fjern id'et fra 'tidligere_id'")
            files.append(File.generated(config, old + "index.html", content=redirect_page(old, new, config.site_url)))
        self.files = files
        # Converted now, all at once and on both cores, not page by page: the search index is
        # built from the same HTML while MkDocs themes the pages (see search.py).
        self._converted = {}
        try:
            for share in in_two(_convert_all, list(self.pages.items())):
                self._converted.update(share)
        except DelaftaleError as exc:  # e.g. the second process died
            raise PluginError(exc.report()) from None
        if self.config.search_index and self._problems is None:
            self._index = BackgroundIndex(
                search_documents(self.pages, self._converted, self.config.mask_contact_data),
                Path(config.site_dir),
                sum(c.length for c in self._converted.values()),
                self.config.search_part_chars,
            )
        titles = nav_titles(config.nav)
        for uri, file in generated.items():
            GeneratedPage(file, config, self.pages[uri].meta, self._converted[uri], titles.get(uri))
        self.pages = {}  # the Markdown is converted: let go of it (a third of a build's memory)
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        pages = [f.url for f in self.files.documentation_pages() if f.url not in self.drafts] + [FEED_URI]
        if self._problems is None and self._pdf_cache is not None:
            try:
                pdfs = write_pdfs(
                    self.pdfs, self._page_html, Path(config.site_dir), self._pdf_cache, prune=self._complete
                )
            except DelaftaleError as exc:
                raise PluginError(f"{exc.report()}\nIntet er bygget; det tidligere site er uændret.") from None
            log.info(pdfs.report())
            pages += pdfs.addresses
        Manifest.of_build(pages, self.moved, self.records, list(self.data.files)).write(
            Path(config.site_dir) / MANIFEST
        )
        if self._index is not None:
            try:
                self._index.finish()
            except DelaftaleError as exc:
                raise PluginError(exc.report()) from None
            finally:  # also when Ctrl-C stops the wait: Pagefind must not write on into the folder
                self._index.cancel()
                self._index = None
        self._completed = True  # every file is written; strict mode may still object

    def _page_html(self, uri: str) -> str | None:
        converted = self._converted.get(uri)
        return converted.html if converted is not None else None

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # The 404 page of a broken serve build shows the problems too (site_overrides/404.html).
        env.globals["byggefejl"] = problem_html(self._problems) if self._problems else ""
        env.bytecode_cache = THEME_TEMPLATES  # `mkdocs serve` makes a new environment per rebuild
        return env

    def on_serve(self, server, config: MkDocsConfig, builder):
        self._watcher = watch_changes(server, [self.agreements_dir, self.templates_dir])
        return server
