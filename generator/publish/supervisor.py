"""What runs around a build of the :class:`~generator.publish.site.Site`, behind one entry point,
:class:`Supervisor`: the staged folder that replaces ``site/`` only once the build is complete
(staging.py), SIGINT and SIGTERM, the second process that converts half the pages, Pagefind
beside the build (search.py), the PDFs and the address manifest. Knows nothing of MkDocs: the
plugin calls it from MkDocs' events, in the order a build runs.

Whatever stops a build (a late failure such as a broken link in strict mode, Ctrl-C, SIGTERM,
SIGKILL, a full disk), the previous site stays untouched.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from generator.base.parallel import in_two
from generator.base.problems import DelaftaleError, Problem, display_path
from generator.publish.manifest import MANIFEST
from generator.publish.pdf import write_pdfs
from generator.publish.pdfcache import PdfCache, open_cache
from generator.publish.search import PART_CHARS, BackgroundIndex, remove_abandoned_scratch, search_documents
from generator.publish.site import Site
from generator.publish.staging import StagedSite, recover, site_problem
from generator.render.html import PackedHtml, convert
from generator.render.renderer import RenderedPage

log = logging.getLogger("mkdocs.plugins.delaftaler")
UNCHANGED = "det tidligere site er uændret"


class BuildStopped(Exception):
    """What stops this build, in Danish, with what to do."""


def _stop_on_sigterm(signum, frame):
    # SIGTERM ends Python without running `finally`; as an exception it unwinds like Ctrl-C, so
    # the build folder and the search process are cleaned up (SIGKILL is covered by staging.py).
    raise SystemExit(128 + signum)


def _convert_all(pages: list[tuple[str, RenderedPage]]) -> dict[str, PackedHtml]:
    return {uri: convert(page.body, page.inserts, page.figures, uri).packed() for uri, page in pages}


def _site_dir_problem(site_dir: Path, config_file: Path, through_link: bool) -> str | None:
    """The folder the build would replace, checked (staging.site_problem), located at mkdocs.yml's
    ``site_dir`` line, or said to come from the command line (``mkdocs build -d``)."""
    problem = site_problem(site_dir, through_link=through_link)
    if problem is None:
        return None
    line, configured = None, "site"  # MkDocs' default
    for number, text in enumerate(config_file.read_text(encoding="utf-8").splitlines(), 1):
        found = re.match(r"site_dir\s*:\s*(['\"]?)(.*?)\1\s*(?:#.*)?$", text)
        if found:
            line, configured = number, found[2]
    from_config = configured.startswith("!") or (  # a tag (!ENV): taken as what mkdocs.yml gave
        os.path.abspath(config_file.parent / configured) == os.path.abspath(site_dir)
    )
    if not from_config:
        line, problem = None, f"(angivet med -d/--site-dir) {problem}"
    return DelaftaleError([Problem(display_path(config_file), line, "site_dir", problem)]).report()


def os_problem(error: OSError) -> str:
    where = error.filename2 or error.filename  # a copy names its source first, the target second
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        what = "der er ikke mere plads på disken — frigør plads, og byg igen"
    else:
        what = f"filsystemet svarede '{error.strerror}' — tjek rettighederne og pladsen, og byg igen"
    return f"Sitet kunne ikke skrives{f' ({where})' if where else ''}: {what}"


class Supervisor:
    """One per process (``mkdocs build``, ``mkdocs serve``), made at start-up with its command.

    ``build`` and ``gh-deploy`` stage: each build writes a fresh folder beside ``site_dir`` that
    replaces it once complete (:meth:`stage`, :meth:`shutdown`). ``mkdocs serve --clean`` starts
    as 'build' too: its first build is staged beside serve's own folder and put in place as soon
    as the server starts (:meth:`serving`); its rebuilds, like those of ``serve``, write serve's
    folder directly."""

    def __init__(self, command: str, dirty: bool):
        self.staging = command in ("build", "gh-deploy")
        self.dirty = dirty
        self._config: Any = None  # what names the folder MkDocs writes (``site_dir``)
        self._published_dir: str | None = None  # site_dir as configured, while MkDocs writes _staged
        self._staged: StagedSite | None = None
        self._completed = False  # every file of this build is written
        self._index: BackgroundIndex | None = None
        self._pdf_cache: PdfCache | None = None
        self._html: dict[str, PackedHtml] = {}
        self._previous_sigterm = None
        if (
            self.staging
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
        ):
            self._previous_sigterm = signal.signal(signal.SIGTERM, _stop_on_sigterm)

    def prepare(self, site_dir: Path, config_file: Path, *, through_link: bool) -> None:
        """Before anything is read: the folder to replace is checked, and what killed builds
        left beside it (and the search index's scratch folders) removed."""
        self._completed = False
        if self.staging:
            refused = _site_dir_problem(site_dir, config_file, through_link)
            if refused:
                raise BuildStopped(f"{refused}\nIntet er bygget eller slettet; {UNCHANGED}.")
            recover(site_dir)
        remove_abandoned_scratch()

    def check_pdf_cache(self, site: Site, root: Path) -> None:
        """Checked before anything is written: a cache folder that is a link is refused."""
        self._pdf_cache = open_cache(root) if site.pdfs and site.problems is None else None

    def stage(self, config: Any) -> None:
        """Point ``config.site_dir`` at a fresh folder beside it, when this build stages."""
        if self.staging:
            self._config, self._published_dir = config, config.site_dir
            self._staged = StagedSite(Path(config.site_dir), keep_contents=self.dirty)
            config.site_dir = str(self._staged.folder)

    def convert(self, site: Site, site_dir: Path, *, search: bool, mask: bool, part_chars: int = PART_CHARS) -> Site:
        """The pages converted, all at once and on both cores, and the search index started from
        the same HTML while MkDocs themes the pages (search.py)."""
        html: dict[str, PackedHtml] = {}
        try:
            for share in in_two(_convert_all, list(site.pages.items())):
                html.update(share)
        except DelaftaleError as exc:  # e.g. the second process died
            raise BuildStopped(exc.report()) from None
        self._html = html
        if search and site.problems is None:
            self._index = BackgroundIndex(
                search_documents(dict(site.pages), html, mask),
                site_dir,
                sum(c.length for c in html.values()),
                part_chars,
            )
        return site.converted(html)

    def finish(self, site: Site, page_urls: list[str], site_dir: Path) -> None:
        """After MkDocs has written every page: the PDFs, the manifest, the finished index."""
        pdf_addresses: list[str] = []
        if site.problems is None and self._pdf_cache is not None:
            try:
                pdfs = write_pdfs(list(site.pdfs), self.page_html, site_dir, self._pdf_cache, prune=site.complete)
            except DelaftaleError as exc:
                raise BuildStopped(f"{exc.report()}\nIntet er bygget; {UNCHANGED}.") from None
            log.info(pdfs.report())
            pdf_addresses = pdfs.addresses
        site.manifest(page_urls, pdf_addresses).write(site_dir / MANIFEST)
        if self._index is not None:
            try:
                self._index.finish()
            except DelaftaleError as exc:
                raise BuildStopped(exc.report()) from None
            finally:  # also when Ctrl-C stops the wait: Pagefind must not write on into the folder
                self._cancel_index()
        self._completed = True  # every file is written; strict mode may still object

    def page_html(self, uri: str) -> str | None:
        converted = self._html.get(uri)
        return converted.html if converted is not None else None

    def failed(self, error: Exception) -> None:
        """The build stopped with ``error``: its folder goes, the site stays."""
        self._cancel_index()
        self._completed = False
        if self._staged is not None:
            self._finish_staging(publish=False)
            log.error(f"Bygningen fejlede; {UNCHANGED}.")
        if isinstance(error, OSError):  # e.g. a full disk: MkDocs would print a traceback
            raise BuildStopped(os_problem(error)) from None

    def serving(self) -> None:
        """The server starts (``mkdocs serve --clean``): the first build is put in place, and the
        rebuilds write the server's folder themselves."""
        self.staging = False
        if self._staged is not None:
            self._finish_staging(publish=self._completed)

    def shutdown(self) -> None:
        self._cancel_index()
        if self._previous_sigterm is not None:
            signal.signal(signal.SIGTERM, self._previous_sigterm)
            self._previous_sigterm = None
        if self._staged is not None:
            # Only here: strict mode can still abort the build after on_post_build, and an
            # exception passing through (Ctrl-C, SIGTERM) reaches no other event.
            interrupted = sys.exc_info()[0] is not None
            self._finish_staging(publish=self._completed and not interrupted)
            if interrupted:
                log.error(f"Bygningen blev afbrudt; {UNCHANGED}.")

    def _cancel_index(self) -> None:
        if self._index is not None:
            self._index.cancel()
            self._index = None

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
