"""The MkDocs plugin: glue between MkDocs' events and the generator's plain functions.

``on_config`` builds the :class:`~generator.publish.site.Site` (everything is read and checked
before anything is written: an agreement with errors stops the build with every problem listed),
``on_files`` hands its pages and files to MkDocs, the pages as :class:`GeneratedPage` (converted
already), and ``on_post_build`` writes the PDFs and the manifest. What runs around the build
(the staged folder, signals, the second process, Pagefind) is the Supervisor's (supervisor.py).
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.base.problems import DelaftaleError
from generator.mkdocs.config import DelaftalerConfig, navigation, site_options, sources
from generator.mkdocs.pages import GeneratedPage, nav_titles
from generator.mkdocs.watching import watch_changes
from generator.publish.problempage import problem_html
from generator.publish.site import Site, SiteOptionError, build_site, check_before_reading, problem_site
from generator.publish.supervisor import UNCHANGED, BuildStopped, Supervisor
from generator.render.guide import GUIDE_URI
from generator.render.templatecache import THEME_TEMPLATES

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class DelaftalerPlugin(BasePlugin[DelaftalerConfig]):
    site: Site | None = None  # what this build publishes (a problem site while `mkdocs serve` shows problems)
    _supervisor: Supervisor | None = None
    _watcher = None  # the inotify observer of `mkdocs serve` (watching.py)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._cache: dict = {}  # files read in earlier builds of this `mkdocs serve`
        self._serving = command == "serve"  # a broken agreement shows its problems in the browser
        self._shown: set[str] = set()  # pages of the last good build of this serve: where problems show
        self._supervisor = Supervisor(command, dirty)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self._supervisor is None:  # MkDocs' API used directly, without on_startup: no staging
            self.on_startup(command="", dirty=False)
        with _as_plugin_error():
            options = site_options(config, self.config, serving=self._serving)
            note = check_before_reading(options, sources(config, options))
            self._supervisor.prepare(
                Path(config.site_dir), Path(config.config_file_path), through_link=self.config.publish_through_link
            )
        if note:  # info, not warning: --strict builds without an address (tests, previews) go on
            log.info(note)
        self._watched = [options.agreements_dir, options.templates_dir]
        try:
            with _as_plugin_error():
                self.site = build_site(options, self._cache)
                self._supervisor.check_pdf_cache(self.site, options.root)
        except DelaftaleError as exc:
            if not self._serving:
                raise PluginError(f"{exc.report()}\nIntet er bygget; {UNCHANGED}.") from None
            # Logged as info: a warning would make --strict abort the very build that shows them.
            log.info(f"{exc.report()}\nBrowseren viser fejlene, indtil de er rettet.")
            self.site = problem_site(exc, options, self._shown, self.site)
        else:
            self._shown = set(self.site.pages)
            if self.site.preview:
                log.info(f"Forhåndsvisning: kun planen '{self.site.preview}' bygges; alle filer er kontrolleret.")
            for note in self.site.notes:  # info, not warning: --strict builds go on
                log.info(f"Bemærk: {note}")
        if self.config.nav:
            config.nav = navigation() + list(config.nav or [])
        self._supervisor.stage(config)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        site, generated = self.site, {}
        for uri in site.pages:
            _refuse_existing(files, uri, "aftalerne")
            # Reached from the landing page, plan pages and overviews, not the nav: no "not
            # included in nav" list of every agreement. No content: MkDocs reads nothing.
            generated[uri] = File.generated(config, uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(generated[uri])
        if site.guide is not None:  # written like docs/ pages: converted by MkDocs' Markdown
            _refuse_existing(files, GUIDE_URI, "datamodellen")
            files.append(File.generated(config, GUIDE_URI, content=site.guide))
        for uri, path in sorted(site.figures.items()):  # content-addressed: one file for every page showing it
            files.append(File.generated(config, uri, abs_src_path=path))
        for old in site.redirects:
            if files.get_file_from_path(old + "index.md") or files.get_file_from_path(old + "index.html"):
                raise PluginError(f"den gamle adresse /{old} bruges stadig af en side — fjern id'et fra 'tidligere_id'")
        for uri, content in site.files.items():  # the feed, open data, redirect stubs: copied as they are
            files.append(File.generated(config, uri, content=content))
        self.files = files
        with _as_plugin_error():
            self.site = site = self._supervisor.convert(
                site,
                Path(config.site_dir),
                search=self.config.search_index,
                mask=self.config.mask_contact_data,
                part_chars=self.config.search_part_chars,
            )
        titles = nav_titles(config.nav)
        for uri, file in generated.items():
            GeneratedPage(file, config, site.pages[uri].meta, site.html[uri], titles.get(uri))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        with _as_plugin_error():
            self._supervisor.finish(self.site, [f.url for f in self.files.documentation_pages()], Path(config.site_dir))

    def on_build_error(self, *, error: Exception) -> None:
        with _as_plugin_error():
            self._supervisor.failed(error)

    def on_shutdown(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        self._supervisor.shutdown()

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        # The 404 page of a broken serve build shows the problems too (site_overrides/404.html).
        problems = self.site.problems if self.site is not None else None
        env.globals["byggefejl"] = problem_html(problems) if problems else ""
        env.bytecode_cache = THEME_TEMPLATES  # `mkdocs serve` makes a new environment per rebuild
        return env

    def on_serve(self, server, config: MkDocsConfig, builder):
        self._supervisor.serving()  # `mkdocs serve --clean` started as 'build': its first build goes in place
        self._watcher = watch_changes(server, self._watched)
        return server


def _refuse_existing(files: Files, uri: str, made_from: str) -> None:
    if files.get_file_from_path(uri) is not None:
        raise PluginError(f"docs/{uri} findes allerede, men siden laves ud fra {made_from} — slet eller omdøb filen")


@contextlib.contextmanager
def _as_plugin_error():
    """What stops the build, in Danish, as MkDocs' PluginError (no traceback)."""
    try:
        yield
    except (BuildStopped, SiteOptionError) as exc:
        raise PluginError(str(exc)) from None
