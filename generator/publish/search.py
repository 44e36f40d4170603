"""The site's search: a Pagefind index of the generated pages, built beside the site build.

Material's built-in search sends the whole site's text to the browser before the first result
(3.2 MB gzipped at 1,000 pages). Pagefind splits its index into chunks and a query fetches only
the chunks for its words and the texts of the results it shows. It stems Danish (the documents
say ``lang="da"``) and offers the plan, focus area and municipality filters the pages declare.

Pagefind needs ~10 ms a page, as long as MkDocs needs to theme it. So it does not wait for the
themed site: as soon as the pages are converted, their article HTML (the same HTML the site
will show, with the same anchors) is written to a scratch folder and Pagefind indexes it in a
separate process on the machine's other core while MkDocs builds, writing to ``site/pagefind/``;
``finish`` waits for it. The scratch folder is locked while its build lives (as the site's
build folder is, sitedir.py): a killed build's folder is removed by the next build.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING

from generator.base.problems import DelaftaleError, Problem
from generator.base.textscan import contact_data, mask
from generator.publish.staging import locked_folder, remove_abandoned, unlock

if TYPE_CHECKING:
    from generator.render.html import PackedHtml, PageHtml
    from generator.render.renderer import RenderedPage

OUTPUT_SUBDIR = "pagefind"
SCRATCH_PREFIX = "delaftaler-soeg-"
MEMORY = Path("/dev/shm")  # a file system in memory, where the system has one (Linux)
# Out of the index: personal data (contact persons); the headings' "¶" permalinks; and what
# every agreement says alike (LBF's standard texts, the version banner), which would match
# every query and fill the excerpts; the page's own contents list and sharing links; and what a
# page repeats from elsewhere (a partner page's duties are the agreements' text: ``.ikke-i-soegning``).
EXCLUDED = (
    "[data-search-exclude], .headerlink, .standardtekst, .versionsstatus, .sideindhold, .deling, .ikke-i-soegning"
)


class SearchIndexProblem(DelaftaleError):
    def __init__(self, where: str, message: str):
        super().__init__([Problem(where, None, "", message)])


def search_documents(
    pages: dict[str, RenderedPage], converted: dict[str, PackedHtml] | dict[str, PageHtml], mask_contacts: bool = True
) -> Iterator[tuple[str, str]]:
    """(URL, document) for every generated page whose front matter does not say search: exclude,
    made one at a time: the documents are written as they come (BackgroundIndex), so a build
    never holds a second copy of every page's HTML. ``mask_contacts``: e-mail addresses and
    phone numbers typed into running text are masked (the plugin's ``mask_contact_data``; the
    page itself shows them)."""
    for uri, page in pages.items():
        if page.meta.get("search", {}).get("exclude"):
            continue
        document = search_document(
            unescape(page.meta.get("soegetitel") or page.meta["title"]),
            converted[uri].html,
            page.meta.get("soegefiltre", {}),
            page.meta.get("soegemeta", {}),
        )
        yield uri.removesuffix("index.md"), masked_html(document) if mask_contacts else document


def search_document(title: str, html: str, filters: dict[str, str], meta: dict[str, str] | None = None) -> str:
    """One page as Pagefind reads it: its title, its filters, what a result shows besides the
    excerpt (``meta``: status, resumé; the page type is a filter) and its article."""
    tags = "".join(
        f'<meta data-pagefind-filter="{escape(name)}[content]" content="{escape(value)}">\n'
        for name, value in filters.items()
    )
    tags += "".join(
        f'<meta data-pagefind-meta="{escape(name)}[content]" content="{escape(value)}">\n'
        for name, value in (meta or {}).items()
    )
    return (
        f'<!doctype html>\n<html lang="da">\n<head><meta charset="utf-8"><title>{escape(title)}</title></head>\n'
        f'<body data-pagefind-body>\n<meta data-pagefind-meta="title[content]" content="{escape(title)}">\n'
        f"{tags}{html}\n</body>\n</html>\n"
    )


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
# The attributes that carry text a reader (or Pagefind) sees: a link's address, a title, an
# image's alternative text, a meta tag's content (the result's title and resumé). Not the others:
# a chart's coordinates are pairs of digits too ('d="M 20 34 56 78"').
_TEXT_ATTRIBUTE = re.compile(r'(\s(?:href|title|alt|content|aria-label)=")([^"]*)(")')


def masked_html(document: str) -> str:
    """``document`` with contact data masked in its text and in the attributes that carry text.
    The HTML is escaped, but neither an address nor a phone number holds a character that
    escaping changes."""
    if not contact_data(document):
        return document  # most pages: one scan of the whole page, and nothing to mask
    parts = _TAG_OR_TEXT.split(document)
    for i, part in enumerate(parts):
        parts[i] = mask(part) if i % 2 == 0 else _TEXT_ATTRIBUTE.sub(lambda m: m[1] + mask(m[2]) + m[3], part)
    return "".join(parts)


def scratch_parents() -> list[Path]:
    """Where the scratch folders are made: in memory, or the temporary folder when memory is short."""
    return [MEMORY, Path(tempfile.gettempdir())]


def remove_abandoned_scratch() -> None:
    """Remove the scratch folders that builds killed before they could clean up left behind (no
    handler runs on SIGKILL): those no running build holds locked (sitedir.remove_abandoned)."""
    remove_abandoned(folder for parent in scratch_parents() for folder in parent.glob(SCRATCH_PREFIX + "*"))


#: Characters of documents one Pagefind run indexes at most (the plugin's ``search_part_chars``).
#: Pagefind's memory follows the text it indexes (1.15 GB for the 79 million characters of 1,000
#: agreements, 2,516 pages), and no option of its own lowers it: a larger site is indexed in
#: parts, one after another, each its own bundle, which the search page merges
#: (``pagefind.mergeIndex``, site_overrides/assets/javascripts/soegning.js).
PART_CHARS = 30_000_000
PARTS_FILE = "dele.json"  # in the first bundle: the addresses of the others, relative to it


def bundle_folder(part: int) -> str:
    """The site folder of part ``part``'s bundle: ``pagefind/``, then ``pagefind-2/``, ..."""
    return OUTPUT_SUBDIR if part == 0 else f"{OUTPUT_SUBDIR}-{part + 1}"


class BackgroundIndex:
    """Pagefind over ``documents`` (URL -> HTML document), running while the caller goes on."""

    def __init__(self, documents: Iterable[tuple[str, str]], site_dir: Path, size: int, part_chars: int = PART_CHARS):
        """``documents``: (URL, HTML document) pairs, written as they come; ``size``: about how
        many characters they hold together; ``part_chars``: at most this many in one bundle."""
        # Scratch files for Pagefind alone: in memory (/dev/shm) where there is one, so the
        # disk only writes the site itself (at 2,000 agreements these are 120 MB).
        size *= 2  # UTF-8, with room to spare
        memory, temporary = scratch_parents()
        in_memory = memory.is_dir() and os.access(memory, os.W_OK) and shutil.disk_usage(memory).free > size
        # Locked while this build lives, so that the next build can tell it from a killed build's.
        self.folder, self._lock = locked_folder(memory if in_memory else temporary, SCRATCH_PREFIX)
        self.parts: list[Path] = []
        filled = 0
        for url, document in documents:
            if not self.parts or (filled and filled + len(document) > part_chars):
                self.parts.append(self.folder / f"del-{len(self.parts) + 1}")
                filled = 0
            target = self.parts[-1] / url / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document, encoding="utf-8")
            filled += len(document)
        if not self.parts:  # nothing to index: an empty index all the same, so the search page starts
            self.parts.append(self.folder / "del-1")
            self.parts[0].mkdir()
        # Written straight into the site being built (MkDocs has cleaned it already).
        self.site_dir = site_dir
        self.output = site_dir / OUTPUT_SUBDIR
        self.process: subprocess.Popen | None = None  # the run in progress, for cancel()
        self._failure: str | None = None
        self._cancelled = False
        self._guard = threading.Lock()  # between cancel() and the thread starting the next part
        # The parts one after another (one Pagefind's memory at a time), beside MkDocs.
        self._thread = threading.Thread(target=self._index_parts, name="pagefind", daemon=True)
        self._thread.start()

    def _index_parts(self) -> None:
        for number, part in enumerate(self.parts):
            command = [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                str(part),
                "--output-path",
                str(self.site_dir / bundle_folder(number)),
                "--exclude-selectors",
                EXCLUDED,
                "--silent",
            ]
            try:
                with self._guard:
                    if self._cancelled:
                        return
                    self.process = subprocess.Popen(
                        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
                    )
            except OSError as exc:
                self._failure = str(exc)
                return
            output, _ = self.process.communicate()
            if self.process.returncode != 0:
                self._failure = " / ".join(output.strip().splitlines()[-3:]) or f"status {self.process.returncode}"
                return

    def finish(self) -> None:
        """Wait for Pagefind to complete the index in the built site."""
        try:
            self._thread.join()
            if self._failure is None and not self._cancelled:
                others = [f"../{bundle_folder(number)}/" for number in range(1, len(self.parts))]
                self.output.mkdir(parents=True, exist_ok=True)
                (self.output / PARTS_FILE).write_text(json.dumps(others) + "\n", encoding="utf-8")
                return
            for number in range(len(self.parts)):
                shutil.rmtree(self.site_dir / bundle_folder(number), ignore_errors=True)
            raise SearchIndexProblem(
                "pagefind", f"søgeindekset kunne ikke bygges: {self._failure} — er pakken 'pagefind[bin]' installeret?"
            )
        finally:
            self.cancel()

    def cancel(self) -> None:
        with self._guard:
            self._cancelled = True
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
        self._thread.join()
        if self.process is not None:
            self.process.wait()
            self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)
        unlock(self._lock)
        self._lock = None
