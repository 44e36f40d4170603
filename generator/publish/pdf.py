"""A PDF of every published version, made from the HTML of its page (WeasyPrint).

The PDF is the page itself: the HTML that ``pagehtml`` made from the generated Markdown, laid
out for A4 by ``PDF_CSS``, with a title page (title, status, plan, focus area, period,
approval: the top of the page), page numbers and, in every footer, the version's permanent
address and status. It is tagged (PDF/UA-1), in Danish, with title and author metadata and
bookmarks from the headings.

Frozen versions do not change, so a PDF is made once: the finished HTML document (content,
footer, metadata, stylesheet) and the versions of the tools are hashed, and a PDF already made
from the same hash is taken from the cache (pdfcache.py: ``.cache/pdf/`` beside mkdocs.yml,
every entry checked before it is published). Nothing in the document comes from the build's
clock: its dates are the version's own (approval, last correction), so the same version gives
the same key and the same bytes in every build, with or without SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import functools
import mimetypes
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

from generator.base.parallel import in_two
from generator.base.problems import DelaftaleError, Problem, display_path
from generator.base.typography import danish_date
from generator.corpus import Corpus, Visningsstatus
from generator.publish.pdfcache import CACHE_DIR, PdfCache
from generator.publish.redirects import redirects
from generator.source.figures import FOLDER as FIGURE_FOLDER
from generator.source.figures import SIGNATURES

__all__ = ["CACHE_DIR", "PDF_NAME", "PdfSource", "pdf_sources", "write_pdfs"]

PDF_NAME = "delaftale.pdf"
LINK_TEXT = "Hent som PDF"
#: Pages a version's PDF may have. The longest real agreement (a 2013 master plan, seed 003) prints
#: on about 45; a PDF of hundreds of pages is an input error (e.g. tens of thousands of
#: measurements) and would take minutes to lay out: refused, not made.
MAX_PDF_PAGES = 400
FONT = "DejaVu Sans"  # Debian fonts-dejavu-core: every Danish letter, installed beside pango

# Print layout of the page's HTML. Page furniture of the web page (permalinks, share links, the
# folded contents list: the PDF has bookmarks) is left out; the content is in page order.
PDF_CSS = """
@page {
  size: A4; margin: 20mm 18mm 24mm 18mm;
  @bottom-left { content: var(--fod); font: 7.5pt "%(font)s"; color: #444; width: 75%%; }
  @bottom-right { content: "Side " counter(page) " af " counter(pages); font: 7.5pt "%(font)s"; color: #444; }
}
html { font: 10pt/1.4 "%(font)s", sans-serif; color: #000; }
h1 { font-size: 20pt; margin: 0 0 8mm; }
h2 { font-size: 14pt; margin-top: 8mm; break-after: avoid; }
h3 { font-size: 12pt; break-after: avoid; }
h4, h5, h6 { font-size: 10.5pt; break-after: avoid; }
.titelside { break-after: page; }
.versionsstatus { border: 1pt solid #444; padding: 2mm 4mm; margin: 0 0 6mm; }
.aftalefakta { margin: 0 0 6mm; }
a { color: #000; text-decoration: none; }
.headerlink, .deling, .sideindhold, .pdflink, .md-source-file { display: none; }
table { border-collapse: collapse; width: 100%%; margin: 3mm 0; font-size: 8.5pt; }
th, td { border: 0.5pt solid #666; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
thead { display: table-header-group; }
figure { margin: 3mm 0; break-inside: avoid; }
img { max-width: 100%%; height: auto; }
figcaption { font-size: 8.5pt; margin-top: 1mm; }
caption { break-after: avoid; }
tr { break-inside: avoid; }
.footnote { font-size: 8.5pt; }
"""


@dataclass(frozen=True)
class PdfSource:
    """One published version's PDF: the page it is made from and where it is published."""

    page: str  # the page's source URI (its HTML is the PDF's content)
    targets: tuple[str, ...]  # site paths of the PDF: beside the dated page, and the undated one for the current
    title: str
    author: str
    address: str  # the version's permanent address, shown in every footer
    status: Visningsstatus
    created: date = date(1970, 1, 1)  # the version's approval (or, unapproved, its start): its own date
    modified: date = date(1970, 1, 1)  # its last dated correction, else ``created``
    file: str = ""  # the version's YAML file, as the author knows it (for problems)


def pdf_sources(corpus: Corpus, site_url: str | None) -> list[PdfSource]:
    """Every published version (drafts never are), current and past. A renamed plan or delaftale
    (``tidligere_id``) keeps its old PDF addresses too: a file cannot redirect, so it is copied."""
    old_addresses: dict[str, list[str]] = {}
    for old, new in redirects(corpus).items():
        old_addresses.setdefault(new + PDF_NAME, []).append(old + PDF_NAME)
    sources = []
    for agreement, version in corpus.published_versions():
        dated = agreement.version_src_uri(version).removesuffix("index.md")
        current = not agreement.own_page(version)
        targets = (dated + PDF_NAME,) + ((agreement.url + PDF_NAME,) if current else ())
        targets += tuple(old for target in targets for old in old_addresses.get(target, ()))
        model = version.model
        created = model.godkendt.dato if model.godkendt else model.gyldig_fra
        sources.append(
            PdfSource(
                page=agreement.src_uri if current else agreement.version_src_uri(version),
                targets=targets,
                title=f"{model.visningstitel} (version fra {danish_date(model.gyldig_fra)})",  # as the dated page
                author=agreement.plan.plan.navn,
                address=(site_url.rstrip("/") + "/" if site_url else "/") + dated,
                status=agreement.status_of(version),
                created=created,
                modified=max([created, *(r.dato for r in model.rettelser)]),
                file=display_path(version.source),
            )
        )
    return sources


def _css_string(text: str) -> str:
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:/-_()æøåÆØÅ" else f"\\{ord(ch):x} " for ch in text) + '"'


FIGURE_URL = f"file:///{FIGURE_FOLDER}/"  # a figure's address in the PDF's HTML: the same on every page and build
_FIGURE_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")(?:\.\./)*' + FIGURE_FOLDER + "/")


def pdf_html(source: PdfSource, body: str) -> str:
    """The whole HTML document a PDF is made from: the page's HTML with the title page marked.
    Figures (figures.py) are addressed by name, not relative to the page: no base address is set,
    so the page's links stay as they are and the document (the cache key) is the same in every build."""
    body = _FIGURE_SRC.sub(lambda m: m[1] + FIGURE_URL, body)
    # The top of the page (title, status, facts, resumé) up to the share links is the title page.
    cut = body.find('<p class="deling">')
    if cut > 0:
        body = f'<div class="titelside">{body[:cut]}</div>{body[cut:]}'
    footer = f"{source.address} · {source.status.capitalize()}"
    return (
        f'<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n<title>{escape(source.title)}</title>\n'
        f'<meta name="author" content="{escape(source.author)}">\n'
        f'<meta name="dcterms.created" content="{source.created.isoformat()}">\n'
        f'<meta name="dcterms.modified" content="{source.modified.isoformat()}">\n'
        f"<style>:root {{ --fod: {_css_string(footer)}; }}\n{PDF_CSS % {'font': FONT}}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _tool_versions() -> str:
    """What else decides the bytes of a PDF: the layout engine and the PDF writer."""
    return " ".join(f"{name} {metadata.version(name)}" for name in ("weasyprint", "pydyf", "fonttools"))


#: The name figures.published_uri gives a figure: its content's hash and its image type.
_FIGURE_NAME = re.compile(r"^[0-9a-f]{20}(?:" + "|".join(re.escape(s) for s in SIGNATURES if s != ".jpeg") + ")$")


@functools.cache
def _fetcher_class() -> type:
    """WeasyPrint's fetcher interface (weasyprint.urls, version 70): a ``URLFetcher`` whose
    ``fetch(url, headers)`` returns a ``URLFetcherResponse``; an exception it raises is a
    resource left out (WeasyPrint catches it), not a failed build. Made on first use: a build
    without PDFs never loads WeasyPrint (and pango)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FiguresOnly(URLFetcher):
        """Fetches nothing but the page's figures, from the built site's figure folder (figures.py):
        ``file:///figurer/<hash>.<ext>``, a file there with a content-addressed name. Anything else
        (another host, another file, a data: URL) is refused, so a PDF requests nothing."""

        def __init__(self, folder: Path | None):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=False)
            self.folder = folder.resolve() if folder is not None else None

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            name = unquote(url.removeprefix(FIGURE_URL)) if url.startswith(FIGURE_URL) else ""
            if self.folder is not None and _FIGURE_NAME.match(name) and (self.folder / name).is_file():
                path = self.folder / name
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mimetypes.guess_type(path.name)[0]})
            raise ValueError(f"PDF: {url} hentes ikke (kun sitets egne figurer)")

    return FiguresOnly


class TooManyPages(Exception):
    def __init__(self, pages: int):
        self.pages = pages


def render_pdf(document: str, site_dir: Path | None = None) -> bytes:
    """``site_dir``: the built site, whose figure folder the document's figures are read from
    (without it, the PDF has no resources but the local fonts). Laid out first and written only
    when it has at most MAX_PDF_PAGES pages (:class:`TooManyPages`)."""
    from weasyprint import HTML  # imported here: a build without PDFs never loads pango

    fetcher = _fetcher_class()(site_dir / FIGURE_FOLDER if site_dir is not None else None)
    laid_out = HTML(string=document, url_fetcher=fetcher).render()
    if len(laid_out.pages) > MAX_PDF_PAGES:
        raise TooManyPages(len(laid_out.pages))
    return laid_out.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=False)


@dataclass
class PdfResult:
    addresses: list[str] = field(default_factory=list)  # site paths of every PDF written
    made: int = 0  # PDFs made in this build
    reused: int = 0  # PDFs taken from the cache, checked
    rejected: int = 0  # cache entries that failed their check (and were made again)
    pruned: int = 0  # cache entries no version uses any more, removed

    def report(self) -> str:
        """The build's line about its PDFs, in Danish."""
        text = f"PDF: {self.made} lavet, {self.reused} genbrugt fra {CACHE_DIR}/"
        if self.rejected:
            text += (
                f"; {self.rejected} {'fil' if self.rejected == 1 else 'filer'} i cachen var ugyldige "
                "(ændret, afkortet, et link eller en anden versions PDF) og er lavet igen"
            )
        if self.pruned:
            text += f"; {self.pruned} ubrugte fjernet"
        return text


@dataclass(frozen=True)
class _Job:
    key: str
    source: PdfSource


def _write(site_dir: Path, targets: tuple[str, ...], data: bytes) -> None:
    for target in targets:
        path = site_dir / target
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _publish(
    jobs: Sequence[_Job], page_html: Callable[[str], str | None], cache: PdfCache, site_dir: Path
) -> list[tuple[str, Problem | None]]:
    """Each job's PDF into the site: the cache's checked bytes, or made (and cached). Runs in
    both processes (parallel.py): only an outcome per job comes back, never the PDF's bytes.
    Outcomes: 'genbrugt', 'lavet', 'afvist' (the entry failed its check; made again), 'fejl'."""
    outcomes: list[tuple[str, Problem | None]] = []
    for job in jobs:
        data = cache.get(job.key, job.source.title)
        outcome = "genbrugt" if data is not None else ("afvist" if job.key in cache.rejected else "lavet")
        if data is None:
            try:
                data = render_pdf(_document(job.source, page_html), site_dir)
            except TooManyPages as exc:
                outcomes.append(
                    (
                        "fejl",
                        Problem(
                            job.source.file or job.source.page,
                            None,
                            "",
                            (
                                f"versionens PDF ville få {exc.pages} sider, men højst {MAX_PDF_PAGES} laves — det er næsten altid "
                                "en fejl i filen (fx tusindvis af målinger eller aktiviteter): tjek listerne, eller del aftalen op"
                            ),
                        ),
                    )
                )
                continue
            cache.put(job.key, data)
        _write(site_dir, job.source.targets, data)
        outcomes.append((outcome, None))
    return outcomes


def _document(source: PdfSource, page_html: Callable[[str], str | None]) -> str:
    body = page_html(source.page)
    assert body is not None, source.page
    return pdf_html(source, body)


def write_pdfs(
    sources: list[PdfSource],
    page_html: Callable[[str], str | None],
    site_dir: Path,
    cache: PdfCache,
    *,
    prune: bool = False,
) -> PdfResult:
    """Write every source's PDF into the site, made or taken from the checked cache, on both
    cores. ``page_html``: a page's HTML by its source URI, None for a page not built (a preview
    builds one plan); asked again when a PDF is made, so no build holds every document at once.
    ``prune``: this build publishes every version (not a preview of one plan), so the cache
    keeps only the entries it used. Problems (a PDF too long) are raised together, after all."""
    cache.remove_leftovers()
    tools = _tool_versions()
    jobs: dict[str, _Job] = {}  # by key: one per version, as its footer names its own permanent address
    for source in sources:
        body = page_html(source.page)
        if body is None:
            continue  # a preview builds one plan
        # The figures' addresses name their content (figures.py): the hash of the document covers them.
        key = PdfCache.key(tools, pdf_html(source, body))
        jobs[key] = _Job(key, source)
    result = PdfResult()
    problems: list[Problem] = []
    for share in in_two(
        lambda part: _publish(part, page_html, cache, site_dir), sorted(jobs.values(), key=lambda j: j.key)
    ):
        for outcome, problem in share:
            if problem is not None:
                problems.append(problem)
            result.made += outcome in ("lavet", "afvist")
            result.reused += outcome == "genbrugt"
            result.rejected += outcome == "afvist"
    if problems:
        raise DelaftaleError(problems)
    result.addresses = [target for job in jobs.values() for target in job.source.targets]
    if prune:
        result.pruned = cache.prune(jobs)
    return result
