"""A PDF of every published version, made from the HTML of its page (WeasyPrint).

The PDF is the page itself: the HTML that ``pagehtml`` made from the generated Markdown, laid
out for A4 by ``PDF_CSS``, with a title page (title, status, plan, focus area, period,
approval: the top of the page), page numbers and, in every footer, the version's permanent
address and status. It is tagged (PDF/UA-1), in Danish, with title and author metadata and
bookmarks from the headings.

Frozen versions do not change, so a PDF is made once: the finished HTML document (content,
footer, metadata, stylesheet) and the versions of the tools are hashed, and a PDF already made
from the same hash is copied from the cache (``.cache/pdf/<hash>.pdf`` beside mkdocs.yml).
Creation dates come from SOURCE_DATE_EPOCH, so two builds give byte-identical PDFs.
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

from .addresses import redirects
from .figures import FOLDER as FIGURE_FOLDER, SIGNATURES
from .typography import danish_date
from .structure import Corpus

PDF_NAME = "delaftale.pdf"
LINK_TEXT = "Hent som PDF"
CACHE_DIR = ".cache/pdf"
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
    status: str


def pdf_sources(corpus: Corpus, site_url: str | None) -> list[PdfSource]:
    """Every published version (drafts never are), current and past. A renamed plan or delaftale
    (``tidligere_id``) keeps its old PDF addresses too: a file cannot redirect, so it is copied."""
    old_addresses: dict[str, list[str]] = {}
    for old, new in redirects(corpus).items():
        old_addresses.setdefault(new + PDF_NAME, []).append(old + PDF_NAME)
    sources = []
    for agreement in corpus.agreements:
        for version in agreement.versions:
            if version.model.status == "udkast":
                continue
            dated = agreement.version_src_uri(version).removesuffix("index.md")
            current = not agreement.own_page(version)
            targets = (dated + PDF_NAME,) + ((agreement.url + PDF_NAME,) if current else ())
            targets += tuple(old for target in targets for old in old_addresses.get(target, ()))
            model = version.model
            sources.append(PdfSource(
                page=agreement.src_uri if current else agreement.version_src_uri(version),
                targets=targets,
                title=f"{model.visningstitel} (version fra {danish_date(model.gyldig_fra)})",  # as the dated page
                author=agreement.plan.plan.navn,
                address=(site_url.rstrip("/") + "/" if site_url else "/") + dated,
                status=agreement.status_of(version).status))
    return sources


def _css_string(text: str) -> str:
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:/-_()æøåÆØÅ" else f"\\{ord(ch):x} " for ch in text) + '"'


FIGURE_URL = f"file:///{FIGURE_FOLDER}/"  # a figure's address in the PDF's HTML: the same on every page and build
_FIGURE_SRC = re.compile(r'(<img\b[^>]*?\bsrc=")(?:\.\./)*' + FIGURE_FOLDER + "/")


def pdf_html(source: PdfSource, body: str, created: datetime) -> str:
    """The whole HTML document a PDF is made from: the page's HTML with the title page marked.
    Figures (figures.py) are addressed by name, not relative to the page: no base address is set,
    so the page's links stay as they are and the document (the cache key) is the same in every build."""
    body = _FIGURE_SRC.sub(lambda m: m[1] + FIGURE_URL, body)
    # The top of the page (title, status, facts, resumé) up to the share links is the title page.
    cut = body.find('<p class="deling">')
    if cut > 0:
        body = f'<div class="titelside">{body[:cut]}</div>{body[cut:]}'
    stamp = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    footer = f"{source.address} · {source.status.capitalize()}"
    return (f'<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n<title>{escape(source.title)}</title>\n'
            f'<meta name="author" content="{escape(source.author)}">\n'
            f'<meta name="dcterms.created" content="{stamp}">\n<meta name="dcterms.modified" content="{stamp}">\n'
            f'<style>:root {{ --fod: {_css_string(footer)}; }}\n{PDF_CSS % {"font": FONT}}</style>\n'
            f'</head>\n<body>\n{body}\n</body>\n</html>\n')


def build_date() -> datetime:
    """The PDFs' creation date: SOURCE_DATE_EPOCH when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


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


def render_pdf(document: str, site_dir: Path | None = None) -> bytes:
    """``site_dir``: the built site, whose figure folder the document's figures are read from
    (without it, the PDF has no resources but the local fonts)."""
    from weasyprint import HTML  # imported here: a build without PDFs never loads pango
    fetcher = _fetcher_class()(site_dir / FIGURE_FOLDER if site_dir is not None else None)
    return HTML(string=document, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True,
                                                                uncompressed_pdf=False)


@dataclass
class PdfResult:
    addresses: list[str]  # site paths of every PDF written
    made: int = 0  # PDFs made in this build (the rest came from the cache)
    reused: int = 0


def _make(jobs: list[tuple[str, tuple[str, Path]]]) -> list[tuple[str, bytes]]:
    return [(key, render_pdf(*job)) for key, job in jobs]


def write_pdfs(sources: list[PdfSource], page_html: dict[str, str], site_dir: Path, cache_dir: Path) -> PdfResult:
    """Write every source's PDF into the site, made or taken from the content-addressed cache."""
    from .parallel import in_two

    if not sources:
        return PdfResult([])
    created = build_date()
    tools = _tool_versions()
    keyed = []
    for source in sources:
        body = page_html.get(source.page)
        if body is None:
            continue  # a preview builds one plan
        document = pdf_html(source, body, created)
        # The figures' addresses name their content (figures.py): the hash of the document covers them.
        keyed.append((source, hashlib.sha256(f"{tools}\n{document}".encode()).hexdigest(),
                      (document, site_dir)))
    cache_dir.mkdir(parents=True, exist_ok=True)
    missing = {key: job for _, key, job in keyed if not (cache_dir / f"{key}.pdf").is_file()}
    for share in in_two(_make, sorted(missing.items())):
        for key, data in share:
            temporary = cache_dir / f"{key}.tmp{os.getpid()}"
            temporary.write_bytes(data)
            temporary.replace(cache_dir / f"{key}.pdf")  # never a half-written file in the cache
    result = PdfResult([], made=len(missing), reused=len({key for _, key, _ in keyed}) - len(missing))
    for source, key, _ in keyed:
        for target in source.targets:
            path = site_dir / target
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cache_dir / f"{key}.pdf", path)
            result.addresses.append(target)
    return result
