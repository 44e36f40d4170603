"""Figures: images stored beside the YAML and referenced from Markdown text fields.

An author writes ``![alternativ tekst](organisation.png "Billedtekst")`` in any text field of a
plan or a delaftale version; the file lies in the same folder as the YAML (the plan's folder for
plan.yaml, the delaftale's folder for its versions). The alternative text is required (it is
what a screen reader says and what a printout without images keeps); the optional title becomes
the figure's caption.

Published under a content-addressed name (``figurer/<sha256>.<ext>`` at the site's root): a
changed image is a new address, so a page keeps showing the bytes it was built with, a cached PDF
is made again when its image changes, and the published record of a version includes its
figures' hashes (record.py), so changing an image that an approved, published version shows is
caught like a change to its text. Nothing is fetched from other hosts: a remote address, a path
leaving the folder, a missing file, a file that is not a PNG, JPEG, GIF or WebP image, one over
the limits (:data:`MAX_IMAGE_BYTES`, :data:`MAX_IMAGE_PIXELS`) or one that does not decode whole
is a located error (:func:`problems_in_text`), and the page conversion drops any other ``<img>``.

Plain functions; the renderer, pagehtml, the checks and the plugin call them.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape, unescape
from pathlib import Path
from urllib.parse import unquote

from PIL import ImageSequence
from PIL.GifImagePlugin import GifImageFile
from PIL.ImageFile import ImageFile
from PIL.JpegImagePlugin import JpegImageFile
from PIL.PngImagePlugin import PngImageFile
from PIL.WebPImagePlugin import WebPImageFile
from pydantic import BaseModel

from generator.base.sanitize import REMOTE
from generator.model.fields import danish_number
from generator.model.walk import texts

FOLDER = "figurer"  # at the site's root
SIGNATURES = {  # the file's first bytes must say what its name says
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}
#: The size of one image file. A 12-megapixel phone photo is 3–5 MB as JPEG and a diagram as PNG far
#: less; the file is copied to the site and into the PDF of every version that shows it, so a
#: larger one is nearly always a photo saved without compression (a 200 MB PNG made the site
#: 585 MB larger and the build take 1.1 GB of memory).
MAX_IMAGE_BYTES = 10_000_000
#: Pixels in one image (all frames of an animation together), read from the file's header before
#: anything is decoded. A 24-megapixel camera photo (6000 × 4000) passes; decoded it takes about
#: 100 MB. Well below Pillow's own decompression-bomb warning (89 M): a 109 KB file can declare
#: 30000 × 30000 pixels, which the site published and the PDF silently left out.
MAX_IMAGE_PIXELS = 25_000_000
#: What an author is told to save a too large image as: sharp on any screen and in print.
SUGGESTED_SIZE = "4000 × 4000 punkter"
#: The decoder of each image type: opening reads only the header (size, frames), no pixels.
_DECODERS: dict[str, type[ImageFile]] = {
    ".png": PngImageFile,
    ".jpg": JpegImageFile,
    ".jpeg": JpegImageFile,
    ".gif": GifImageFile,
    ".webp": WebPImageFile,
}
_KIND_NAMES = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP"}  # as authors know them
_MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\]\\]|\\.)*)\]\(\s*(?P<src><[^>\n]*>|[^\s)]+)"
    r"(?:\s+(?P<title>\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"
)
# An image typed as HTML, by its tag's name as the HTML parser reads it: <img>, and <image>, which
# the parser makes an <img> (inside <svg> an SVG image, which would load its href).
_HTML_IMAGE = re.compile(r"<(img|image)(?=[\t\n\f\r />]|$)", re.I)


@dataclass(frozen=True)
class Reference:
    """One Markdown image in a text, as written."""

    alt: str
    src: str
    title: str | None
    written: str  # the whole ``![…](…)``, to find its line


def references(text: str) -> list[Reference]:
    found = []
    for match in _MARKDOWN_IMAGE.finditer(text):
        src = match["src"].removeprefix("<").removesuffix(">")
        title = match["title"][1:-1] if match["title"] else None
        found.append(Reference(match["alt"].strip(), src, title, match[0]))
    return found


def resolve(folder: Path, src: str) -> Path | None:
    """The file ``src`` names inside ``folder``; None for a remote address or a path leaving it."""
    if REMOTE.match(src) or src.startswith(("/", "\\")):
        return None
    path = (folder / unquote(src)).resolve()
    try:
        path.relative_to(folder.resolve())
    except ValueError:
        return None
    return path


def problems_in_text(text: str, folder: Path) -> list[tuple[str, str]]:
    """(what to point at in the text, Danish message) for every figure problem in ``text``."""
    problems: list[tuple[str, str]] = []
    if "![" not in text:
        return problems
    for ref in references(text):
        if not ref.alt:
            problems.append(
                (
                    ref.written,
                    f"figuren '{ref.src}' mangler en alternativ tekst — skriv mellem [ og ], hvad "
                    "figuren viser, fx ![Organisationsdiagram: bestyrelsen over styregruppen]"
                    f"({ref.src})",
                )
            )
        if REMOTE.match(ref.src):
            problems.append(
                (
                    ref.written,
                    f"figuren '{ref.src}' ligger på en anden server — sitet henter intet fra andre "
                    "servere: gem billedet i samme mappe som YAML-filen, og skriv filnavnet, "
                    "fx ![…](organisation.png)",
                )
            )
            continue
        path = resolve(folder, ref.src)
        if path is None:
            problems.append(
                (
                    ref.written,
                    f"figuren '{ref.src}' ligger uden for mappen {folder.name}/ — læg billedet i "
                    "samme mappe som YAML-filen, og skriv kun filnavnet",
                )
            )
            continue
        suffix = path.suffix.lower()
        if suffix not in SIGNATURES:
            hint = " (en SVG kan indeholde kode: gem den som PNG)" if suffix == ".svg" else ""
            problems.append(
                (
                    ref.written,
                    f"figuren '{ref.src}' er ikke et billede, sitet kan vise{hint} — brug PNG, JPEG, GIF eller WebP",
                )
            )
            continue
        if not path.is_file():
            present = (
                sorted(p.name for p in path.parent.iterdir() if p.suffix.lower() in SIGNATURES)
                if path.parent.is_dir()
                else []
            )
            shown = f"billeder i mappen: {', '.join(present)}" if present else "mappen har ingen billeder"
            problems.append(
                (ref.written, f"figuren '{ref.src}' findes ikke i {folder.name}/ — tjek filnavnet ({shown})")
            )
            continue
        stat = path.stat()
        problem = image_problem(str(path), stat.st_mtime_ns, stat.st_size)
        if problem is not None:
            problems.append((ref.written, problem.replace("{src}", ref.src)))
    return problems


def html_image(text: str) -> str | None:
    """The first image ``text`` types as HTML, as written (``<img``, ``<IMAGE``): what to point at."""
    found = _HTML_IMAGE.search(text) if "<" in text else None
    return found[0] if found else None


@lru_cache(maxsize=4096)  # a message or None per file version: small
def image_problem(path: str, mtime_ns: int, size: int) -> str | None:
    """What is wrong with the image file at ``path`` (a message with ``{src}`` for the name the text
    writes), or None. Checked once per file as it is (its modification time and size are the
    key): a figure shown by many texts and pages is read and decoded once per build."""
    suffix = Path(path).suffix.lower()
    kind = _KIND_NAMES[suffix]
    with open(path, "rb") as head:
        start = head.read(12)
    if not start.startswith(SIGNATURES[suffix]) or (suffix == ".webp" and start[8:12] != b"WEBP"):
        return f"filen '{{src}}' er ikke et {suffix[1:].upper()}-billede, selv om navnet siger det — gem billedet igen i det format"
    if size > MAX_IMAGE_BYTES:  # before reading it whole
        return (
            f"figuren '{{src}}' fylder {_megabytes(size)} MB; et billede må højst fylde {_megabytes(MAX_IMAGE_BYTES)} "
            f"MB, da det kopieres til sitet og ind i hver PDF, der viser det — gem billedet i mindre opløsning, fx "
            f"højst {SUGGESTED_SIZE}, eller et foto som JPEG"
        )
    damaged = (
        f"filen '{{src}}' er et beskadiget {kind}-billede, som ikke kan vises — åbn det i et billedprogram, og gem "
        f"det igen som {kind}"
    )
    try:
        with open(path, "rb") as stream:
            image = _DECODERS[suffix](stream)  # the header only
            width, height = image.size
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > MAX_IMAGE_PIXELS:
                return _too_many_pixels(width, height, frames)
            image.verify()  # a PNG's checksums; the decoder is spent after it
        with open(path, "rb") as stream:  # the whole image, every frame, decoded once: a damaged body is refused
            for frame in ImageSequence.Iterator(_DECODERS[suffix](stream)):
                frame.load()
    except Exception:  # Pillow's decoders raise OSError, SyntaxError, ValueError, EOFError, …: a damaged file
        return damaged
    return None


def _too_many_pixels(width: int, height: int, frames: int) -> str:
    found = f"{width} × {height} punkter"
    if frames > 1:
        found = (
            f"en animation med {frames} billeder på {found} ({_millions(width * height * frames)} mio. punkter i alt)"
        )
    else:
        found += f" ({_millions(width * height)} mio.)"
    return (
        f"figuren '{{src}}' er {found}; et billede må højst have {_millions(MAX_IMAGE_PIXELS)} mio. punkter — gem "
        f"billedet i mindre opløsning, fx højst {SUGGESTED_SIZE}" + (", og med færre billeder" if frames > 1 else "")
    )


def _megabytes(size: int) -> str:
    """10_000_000 -> '10'; 200_000_000 -> '200'; 12_345_678 -> '12,3' (Danish decimals)."""
    return danish_number((Decimal(size) / 1_000_000).quantize(Decimal("0.1")))


def _millions(count: int) -> str:
    return danish_number((Decimal(count) / 1_000_000).quantize(Decimal("0.1")))


def html_image_note(text: str) -> str | None:
    """An image typed as HTML is left out of the page (as any HTML the allow-list refuses): said,
    not an error, since an author's HTML is never one."""
    written = html_image(text)
    if written:
        return (
            f"et billede skrevet som HTML ({written.lower()}>) vises ikke — skriv det som Markdown: "
            '![alternativ tekst](figur.png "billedtekst") med filen i samme mappe som YAML-filen'
        )
    return None


def published_uri(path: Path) -> str:
    """``figurer/<sha256>.<ext>``: the address changes with the bytes."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    return f"{FOLDER}/{digest}{path.suffix.lower().replace('.jpeg', '.jpg')}"


def figures_in(texts: list[str], folder: Path) -> dict[str, str]:
    """src as written -> published URI, for every valid local figure the texts reference."""
    found: dict[str, str] = {}
    for text in texts:
        for ref in references(text) if "![" in text else ():
            if ref.src in found:
                continue
            path = resolve(folder, ref.src)
            if path is not None and path.suffix.lower() in SIGNATURES and path.is_file():
                found[ref.src] = published_uri(path)
    return found


def of_model(model: BaseModel, source: Path) -> dict[str, str]:
    """The figures a plan's or a version's texts show (its YAML file ``source``): src -> URI."""
    try:
        if b"![" not in source.read_bytes():  # most files have no figure: their model is not walked
            return {}
    except OSError:
        pass
    return figures_in([text for _, text in texts(model)], source.parent)


# --------------------------------------------------------------------------- in the page's HTML

# Read on sanitised HTML (pagehtml.convert): the parser has made every image an <img> with its
# attribute values in double quotes (which may hold a ">").
_IMG_TAG = re.compile(r'<img\b((?:[^>"]|"[^"]*")*?)\s*/?>', re.I)
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
_ALONE = re.compile(r"<p>\s*(<img\b[^>]*>)\s*</p>", re.I)


def place(html: str, figures: dict[str, str], base: str) -> str:
    """The page's images (in sanitised HTML, so whatever the author typed is an <img> here): a
    published figure gets its address (relative to the page's folder ``base``) and, alone in its
    paragraph, becomes a <figure> with its title as caption; any other image is replaced by its
    alternative text, so the page requests nothing else."""

    def image(match: re.Match) -> str:
        attributes = {name: unescape(value) for name, value in _ATTRIBUTE.findall(match[1])}
        src = attributes.get("src", "")
        target = figures.get(src) or figures.get(unquote(src))
        alt = escape(attributes.get("alt", ""))
        if target is None:
            return f'<span class="figur-mangler">[Figur: {alt}]</span>' if alt else ""
        url = posixpath.relpath(target, base or ".")
        title = attributes.get("title")
        tag = f'<img src="{escape(url)}" alt="{alt}" loading="lazy">'
        return tag if not title else tag[:-1] + f' title="{escape(title)}">'

    html = _IMG_TAG.sub(image, html)

    def figure(match: re.Match) -> str:
        tag = match[1]
        title = dict(_ATTRIBUTE.findall(tag)).get("title")
        if title is not None:
            tag = tag.replace(f' title="{title}"', "")
        caption = f"<figcaption>{title}</figcaption>" if title else ""
        return f'<figure class="figur">{tag}{caption}</figure>'

    return _ALONE.sub(figure, html)
