"""The PDF cache cannot lie: an entry is published only when it is a regular file inside the
project's cache, its bytes have the hash recorded beside it, and they parse as the version's own
PDF. Links, truncated, empty, foreign and half-written entries are remade; a cache folder that is
a link is refused; a rebuild with nothing changed makes no PDF, with or without SOURCE_DATE_EPOCH;
entries no build uses are removed."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE, make_project
from pypdf import PdfReader

from generator.publish import pdf
from generator.publish.pdfcache import CACHE_DIR, CacheFolderProblem, open_cache, pdf_title

SECRET = "hemmelig-nøgle-4c7f0e9b"  # put in the build's environment: no byte of it may reach site/
AGREEMENT = "lindely/tryghed"


def _document(title: str) -> str:
    return (
        f'<!doctype html><html lang="da"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1><p>Tekst.</p></body></html>"
    )


@pytest.fixture(scope="module")
def two_pdfs() -> dict[str, bytes]:
    """Two real PDFs made by the project's own PDF step (WeasyPrint), titled A and B."""
    return {title: pdf.render_pdf(_document(title)) for title in ("Aftale A", "Aftale B")}


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --------------------------------------------------------------------------- the cache alone


def test_an_entry_put_is_got_back_checked(tmp_path, two_pdfs):
    cache = open_cache(tmp_path)
    key = _key("a")
    assert cache.get(key, "Aftale A") is None  # not made yet: no rejection
    assert cache.put(key, two_pdfs["Aftale A"])
    assert cache.get(key, "Aftale A") == two_pdfs["Aftale A"]
    record = (tmp_path / CACHE_DIR / f"{key}.sha256").read_text()
    assert record == f"{hashlib.sha256(two_pdfs['Aftale A']).hexdigest()}  {key}.pdf\n"  # sha256sum -c reads it
    assert cache.rejected == []


def _poison(folder: Path, key: str, how: str, pdfs: dict[str, bytes], tmp_path: Path) -> None:
    entry, record = folder / f"{key}.pdf", folder / f"{key}.sha256"
    good = pdfs["Aftale A"]
    if how == "link to a secret":
        outside = tmp_path / "environ"
        outside.write_text(SECRET)
        entry.unlink()
        entry.symlink_to(outside)
    elif how == "link to /etc/passwd":
        entry.unlink()
        entry.symlink_to("/etc/passwd")
    elif how == "link to /proc/self/environ":
        entry.unlink()
        entry.symlink_to("/proc/self/environ")
    elif how == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "one byte changed":
        entry.write_bytes(good[:200] + bytes([good[200] ^ 1]) + good[201:])
    elif how == "truncated with its hash recorded again":
        entry.write_bytes(good[:-300])
        record.write_text(f"{hashlib.sha256(good[:-300]).hexdigest()}  {key}.pdf\n")
    elif how == "another version's PDF with its hash recorded":
        entry.write_bytes(pdfs["Aftale B"])
        record.write_text(f"{hashlib.sha256(pdfs['Aftale B']).hexdigest()}  {key}.pdf\n")
    elif how == "not a PDF with its hash recorded":
        entry.write_bytes(b"root:x:0:0:root:/root:/bin/bash\n")
        record.write_text(
            f"{hashlib.sha256(b'root:x:0:0:root:/root:/bin/bash' + bytes([10])).hexdigest()}  {key}.pdf\n"
        )
    elif how == "record missing":
        record.unlink()
    elif how == "record is a link":
        record.unlink()
        (tmp_path / "record").write_text(f"{hashlib.sha256(good).hexdigest()}  {key}.pdf\n")
        record.symlink_to(tmp_path / "record")
    elif how == "a folder":
        entry.unlink()
        entry.mkdir()
    elif how == "a FIFO":
        entry.unlink()
        os.mkfifo(entry)
    else:
        raise AssertionError(how)


POISONS = [
    "link to a secret",
    "link to /etc/passwd",
    "link to /proc/self/environ",
    "truncated",
    "empty",
    "one byte changed",
    "truncated with its hash recorded again",
    "another version's PDF with its hash recorded",
    "not a PDF with its hash recorded",
    "record missing",
    "record is a link",
    "a folder",
    "a FIFO",
]


@pytest.mark.parametrize("how", POISONS)
def test_a_bad_entry_is_never_returned_and_is_removed(tmp_path, two_pdfs, how):
    cache = open_cache(tmp_path)
    key = _key("a")
    cache.put(key, two_pdfs["Aftale A"])
    _poison(cache.folder, key, how, two_pdfs, tmp_path)
    assert cache.get(key, "Aftale A") is None  # a FIFO does not block: opened without waiting
    assert cache.rejected == [key]
    assert not os.path.lexists(cache.folder / f"{key}.pdf")
    assert cache.put(key, two_pdfs["Aftale A"]) and cache.get(key, "Aftale A") == two_pdfs["Aftale A"]
    if how == "link to a secret":
        assert (tmp_path / "environ").read_text() == SECRET  # what the link led to is untouched


def test_pdf_title_reads_only_pdfs(two_pdfs):
    assert pdf_title(two_pdfs["Aftale B"]) == "Aftale B"
    for data in (b"", b"%PDF-1.7\n%%EOF\n", two_pdfs["Aftale B"][:-40], Path("/etc/passwd").read_bytes()):
        assert pdf_title(data) is None


@pytest.mark.parametrize("where", [".cache", ".cache/pdf"])
def test_a_cache_folder_that_is_a_link_is_refused(tmp_path, where):
    project, outside = tmp_path / "projekt", tmp_path / "udenfor"
    project.mkdir()
    outside.mkdir()
    (project / ".cache").mkdir(exist_ok=True)
    if where == ".cache":
        (project / ".cache").rmdir()
    (project / where).symlink_to(outside)
    with pytest.raises(CacheFolderProblem) as refused:
        open_cache(project)
    assert f"{where}: er et symbolsk link" in refused.value.report()
    assert list(outside.iterdir()) == []


def test_a_cache_folder_outside_the_project_is_refused(tmp_path):
    for relative in ("../andet", "/tmp/pdf"):
        with pytest.raises(CacheFolderProblem, match="i projektmappen"):
            open_cache(tmp_path, relative)


def test_pruning_keeps_what_is_used_and_the_files_of_running_builds(tmp_path, two_pdfs):
    cache = open_cache(tmp_path)
    used, stale = _key("brugt"), _key("forældet")
    cache.put(used, two_pdfs["Aftale A"])
    cache.put(stale, two_pdfs["Aftale B"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = cache.folder / f"{_key('dræbt')}.pdf.{int(dead.stdout)}.k1ll3d_x.tmp"  # a build killed mid-write
    killed.write_bytes(b"%PDF-halv")
    running = cache.folder / f"{_key('kører')}.pdf.{os.getppid()}.r4nn1ng.tmp"  # a build still running
    running.write_bytes(b"%PDF-igang")
    (cache.folder / "noget-andet.txt").write_text("x")
    assert cache.prune([used]) == 2
    assert sorted(p.name for p in cache.folder.iterdir()) == sorted([f"{used}.pdf", f"{used}.sha256", running.name])


def test_leftovers_of_killed_builds_are_removed_without_pruning(tmp_path, two_pdfs):
    cache = open_cache(tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed = cache.folder / f"{_key('x')}.sha256.{int(dead.stdout)}.abcdefgh.tmp"
    killed.write_text("x")
    cache.put(_key("y"), two_pdfs["Aftale A"])
    cache.remove_leftovers()
    assert not killed.exists() and cache.get(_key("y"), "Aftale A") is not None


def test_a_full_cache_disk_leaves_no_temporary_file(tmp_path, two_pdfs):
    """A full disk while a PDF is cached: put says so, and neither a half-written PDF nor a
    temporary file stays (a 64 KB tmpfs as root, the machines here; else a read-only folder)."""
    cache = open_cache(tmp_path)
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(cache.folder)], check=True)
    else:
        os.chmod(cache.folder, 0o500)
    try:
        assert cache.put(_key("a"), two_pdfs["Aftale A"] + bytes(200_000)) is False  # > 64 KB
        assert list(cache.folder.iterdir()) == []
        assert cache.get(_key("a"), "Aftale A") is None
    finally:
        if as_root:
            subprocess.run(["umount", str(cache.folder)], check=True)
        else:
            os.chmod(cache.folder, 0o700)


def test_too_long_a_pdf_is_a_danish_problem_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "MAX_PDF_PAGES", 1)  # the real limit needs ~30 s of layout to reach
    source = pdf.PdfSource(
        "a/index.md",
        ("a/delaftale.pdf",),
        "Lang aftale",
        "Plan",
        "/a/",
        "gældende",
        file="agreements/p/a/2024-01-01.yaml",
    )
    body = "<h1>Lang aftale</h1>" + "<p>Tekst. </p>" * 400
    with pytest.raises(pdf.DelaftaleError) as refused:
        pdf.write_pdfs([source], {"a/index.md": body}.get, tmp_path / "site", open_cache(tmp_path))
    report = refused.value.report()
    assert "agreements/p/a/2024-01-01.yaml: versionens PDF ville få" in report and "højst 1 laves" in report
    assert not (tmp_path / "site" / "a" / "delaftale.pdf").exists()


# --------------------------------------------------------------------------- real builds


def _build(project, **env) -> subprocess.CompletedProcess:
    environ = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project.root,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result


def _made(result: subprocess.CompletedProcess) -> tuple[int, int]:
    match = re.search(r"PDF: (\d+) lavet, (\d+) genbrugt", result.stderr)
    assert match, result.stderr
    return int(match[1]), int(match[2])


def _site_bytes(site: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file())


@pytest.fixture
def versions(tmp_path):
    project = make_project(tmp_path / "projekt", FIXTURE.parent / "versioner" / "agreements")
    first = _build(project)
    assert first.returncode == 0, first.stderr
    assert _made(first) == (3, 0)
    return project


def test_a_rebuild_without_source_date_epoch_makes_no_pdf(versions):
    again = _build(versions)
    assert again.returncode == 0, again.stderr
    assert _made(again) == (0, 3)


@pytest.mark.parametrize(
    "how",
    [
        "link to /proc/self/environ",
        "link to a secret",
        "link to /etc/passwd",
        "truncated",
        "another version's PDF with its hash recorded",
    ],
)
def test_a_poisoned_cache_entry_never_reaches_the_site(versions, two_pdfs, tmp_path, how):
    cache = versions.root / CACHE_DIR
    entries = sorted(cache.glob("*.pdf"))
    assert len(entries) == 3
    for entry in entries:
        _poison(cache, entry.stem, how, two_pdfs, tmp_path)
    result = _build(versions, DELAFTALER_HEMMELIG=SECRET)
    assert result.returncode == 0, result.stderr
    assert _made(result) == (3, 0)
    assert "3 filer i cachen var ugyldige" in result.stderr
    published = _site_bytes(versions.site)
    assert SECRET.encode() not in published and b"DELAFTALER_HEMMELIG" not in published
    assert b"root:x:0:0" not in published
    for key in ("2020-01-01", "2022-04-01", "2026-01-01"):
        reader = PdfReader(versions.site / AGREEMENT / key / "delaftale.pdf")
        assert reader.metadata.title.endswith(")") and "Tryghed og trivsel" in reader.metadata.title
    assert all(not entry.is_symlink() for entry in cache.iterdir())


@pytest.mark.parametrize("where", [".cache", ".cache/pdf"])
def test_a_build_refuses_a_cache_folder_that_is_a_link(versions, tmp_path, where):
    before = _site_bytes(versions.site)
    outside = tmp_path / "udenfor"
    outside.mkdir()
    shutil.rmtree(versions.root / where)
    (versions.root / where).symlink_to(outside)
    result = _build(versions)
    assert result.returncode != 0
    assert f"{where}: er et symbolsk link" in result.stderr and "Traceback" not in result.stderr
    assert list(outside.iterdir()) == []
    assert _site_bytes(versions.site) == before


def test_a_build_removes_unused_entries_and_leftovers(versions):
    cache = versions.root / CACHE_DIR
    stale = cache / f"{_key('gammel')}.pdf"
    stale.write_bytes(b"%PDF-1.7 gammel")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = cache / f"{_key('dræbt')}.pdf.{int(dead.stdout)}.abcdefgh.tmp"
    leftover.write_bytes(b"%PDF-halv")
    result = _build(versions)
    assert result.returncode == 0, result.stderr
    assert _made(result) == (0, 3) and "1 ubrugte fjernet" in result.stderr
    assert not stale.exists() and not leftover.exists()
    assert len(list(cache.glob("*.pdf"))) == 3 and len(list(cache.glob("*.sha256"))) == 3
