"""The PDF cache: PDFs named by the hash of what they were made from, each checked before use.

A PDF takes about a second to make and a published version's PDF never changes, so PDFs are
kept between builds in ``.cache/pdf/`` beside mkdocs.yml (the pipelines keep that folder between
runs). The cache is input read from disk like an agreement, and what is in it is published: a
cache entry that is a link (to ``/proc/self/environ``, ``/etc/passwd``), truncated, empty, or
another version's PDF must never reach the site. So an entry is used only when

- the cache folder and every folder above it up to the project are real folders inside the
  project (no link: :func:`open_cache` refuses, in Danish, before anything is read or written);
- ``<key>.pdf`` and its record ``<key>.sha256`` (``sha256sum`` format) are regular files, opened
  without following links, of bounded size;
- the SHA-256 of the bytes read is the one recorded, and
- those bytes parse as a PDF (pdfminer: header, cross-reference table, trailer) whose title is
  the version's title.

The bytes that are checked are the bytes that are published (read once, never re-opened).
An entry that fails is removed and made again. A full build removes the entries it did not use
and the half-written files of builds that were killed, so the folder holds what the site needs.

Plain functions and a small class; nothing here knows MkDocs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from generator.base.problems import DelaftaleError, Problem, display_path

CACHE_DIR = ".cache/pdf"  # relative to the project (mkdocs.yml's folder)
#: No published agreement comes near this: the largest bundled PDF is ~0.2 MB, a 500-page one
#: (the page limit, pdf.py) about 8 MB. Anything larger is not one of ours and is not read whole.
MAX_PDF_BYTES = 64 * 1024 * 1024
_KEY = re.compile(r"[0-9a-f]{64}")
_RECORD = re.compile(r"([0-9a-f]{64})  ([0-9a-f]{64})\.pdf\n")
_TEMPORARY = re.compile(r"\.(?P<pid>\d+)\.[^.]+\.tmp$")  # <key>.pdf.<pid>.<random>.tmp


class CacheFolderProblem(DelaftaleError):
    def __init__(self, shown: str, message: str):
        super().__init__([Problem(shown, None, "", message)])


def open_cache(root: Path, relative: str = CACHE_DIR) -> PdfCache:
    """The cache folder ``relative`` under the project ``root``, created if missing.

    Refused (a Danish problem, nothing read or written) when the folder or a folder between it
    and the project is a symbolic link or not a folder, or when it would lie outside the project:
    a link would make every build read and write wherever it leads."""
    root = Path(os.path.abspath(root))
    parts = Path(relative).parts
    if Path(relative).is_absolute() or ".." in parts:
        raise CacheFolderProblem(
            relative, f"PDF-cachen skal ligge i projektmappen — skriv en mappe under projektet, fx {CACHE_DIR}"
        )
    current = root
    for part in parts:
        current = current / part
        shown = display_path(current, root)
        if current.is_symlink():
            raise CacheFolderProblem(
                shown,
                "er et symbolsk link — PDF-cachen læses og skrives kun i en almindelig mappe "
                "i projektet, aldrig gennem et link; slet linket (rm), så laves mappen "
                "igen ved næste bygning",
            )
        if current.exists() and not current.is_dir():
            raise CacheFolderProblem(
                shown, "er en fil, men skal være PDF-cachens mappe — slet filen, så laves mappen ved næste bygning"
            )
        try:
            current.mkdir(exist_ok=True)
        except OSError as exc:
            raise CacheFolderProblem(
                shown, f"PDF-cachens mappe kunne ikke laves ({exc.strerror}) — tjek rettighederne og pladsen på disken"
            ) from None
    if os.path.commonpath([os.path.realpath(root), os.path.realpath(current)]) != os.path.realpath(root):
        raise CacheFolderProblem(display_path(current, root), "PDF-cachen ligger uden for projektmappen — slet mappen")
    return PdfCache(current)


def _read_regular(folder: Path, name: str, limit: int) -> bytes | None:
    """The bytes of ``folder/name`` when it is a regular file of at most ``limit`` bytes, opened
    without following a link (O_NOFOLLOW) and without blocking on a FIFO; else None."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(folder / name, flags)
    except OSError:
        return None  # missing, a link (ELOOP), unreadable
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        return data if len(data) <= limit else None
    finally:
        os.close(descriptor)


def pdf_title(data: bytes) -> str | None:
    """The title in the document information of ``data``; None when ``data`` is not a PDF that
    parses (qpdf, through pikepdf: header, cross-reference table, trailer, page tree)."""
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return None
    import pikepdf  # ~5 ms a PDF; pdfminer (the importer's) needs ~150 ms to reach the title

    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            if len(document.pages) == 0:
                return None
            title = document.docinfo.get("/Title")
            return str(title) if title is not None else None
    except (pikepdf.PdfError, ValueError, TypeError, KeyError, RecursionError):
        return None


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


@dataclass
class PdfCache:
    """One checked cache folder (see :func:`open_cache`)."""

    folder: Path
    rejected: list[str] = field(default_factory=list)  # keys whose entry failed a check (made again)

    @staticmethod
    def key(*parts: str) -> str:
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def get(self, key: str, title: str) -> bytes | None:
        """The verified bytes of entry ``key`` for a PDF titled ``title``; None when there is no
        entry or it fails a check (then it is removed, and counted in ``rejected``)."""
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a cache key: {key!r}")
        data = _read_regular(self.folder, f"{key}.pdf", MAX_PDF_BYTES)
        record = _read_regular(self.folder, f"{key}.sha256", 256)
        if data is None and record is None and not os.path.lexists(self.folder / f"{key}.pdf"):
            return None  # simply not made yet
        match = _RECORD.fullmatch(record.decode("ascii", "replace")) if record is not None else None
        if (
            data is not None
            and match is not None
            and match[2] == key
            and hashlib.sha256(data).hexdigest() == match[1]
            and pdf_title(data) == title
        ):
            return data
        self.rejected.append(key)
        self.remove(key)
        return None

    def put(self, key: str, data: bytes) -> bool:
        """Store ``data`` as entry ``key``: written to temporary files, then renamed, so a
        reader finds a whole entry or none (a PDF without its record is no entry). False when
        the folder cannot be written (full, read-only): the PDF is published all the same and
        made again next time; no temporary file is left behind."""
        record = f"{hashlib.sha256(data).hexdigest()}  {key}.pdf\n".encode("ascii")
        for name, content in ((f"{key}.pdf", data), (f"{key}.sha256", record)):
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f"{name}.{os.getpid()}.", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(content)
                os.replace(temporary, self.folder / name)
            except OSError:
                Path(temporary).unlink(missing_ok=True)
                self.remove(key)
                return False
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        return True

    def remove(self, key: str) -> None:
        for suffix in (".pdf", ".sha256"):
            path = self.folder / f"{key}{suffix}"
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
            except OSError:
                pass  # a read-only cache: the entry is still never used (it fails its check every time)

    def remove_leftovers(self) -> None:
        """Remove the temporary files of builds that were killed while writing an entry."""
        for entry in os.scandir(self.folder):
            temporary = _TEMPORARY.search(entry.name)
            if temporary and not _process_alive(int(temporary["pid"])):
                with contextlib.suppress(OSError):
                    Path(entry.path).unlink(missing_ok=True)

    def prune(self, used: Iterable[str]) -> int:
        """Remove every entry not in ``used`` and every other file in the folder, but the
        temporary files of builds still running. Returns the number of entries removed."""
        keep = {f"{key}{suffix}" for key in used for suffix in (".pdf", ".sha256")}
        removed: set[str] = set()
        for entry in os.scandir(self.folder):
            if entry.name in keep:
                continue
            temporary = _TEMPORARY.search(entry.name)
            if temporary and _process_alive(int(temporary["pid"])):
                continue  # a build running beside this one is writing it (this build has written all of its own)
            if not temporary:
                removed.add(entry.name.split(".", 1)[0])
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    Path(entry.path).unlink(missing_ok=True)
            except OSError:
                pass  # a read-only cache folder: nothing is taken from it unchecked anyway
        return len(removed)
