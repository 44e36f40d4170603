"""Shared helpers: real projects in tmp_path, real YAML files, real MkDocs builds."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# Tests build without a public address and not as the published build, whatever the pipeline
# around them sets (tests/test_site_url.py sets both where it tests them).
for _variable in ("DELAFTALER_SITE_URL", "DELAFTALER_PRODUKTION"):
    os.environ.pop(_variable, None)

REPO = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "site"


@dataclass
class Project:
    """A copy of the repository's site setup (mkdocs.yml, templates, theme, docs) with its own agreements."""

    root: Path

    @property
    def agreements(self) -> Path:
        return self.root / "agreements"

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.agreements / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.agreements / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=self.root, capture_output=True, text=True, timeout=300)

    def build(self, *extra: str) -> subprocess.CompletedProcess:
        return self.run("-m", "mkdocs", "build", "--strict", *extra)

    def validate(self) -> subprocess.CompletedProcess:
        return self.run("-m", "generator.cli", "validate", "--mappe", "agreements")

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")


def search_documents(site: Path, bundle: str = "pagefind") -> dict[str, dict]:
    """What the built Pagefind index holds, by URL: each page's indexed text, title and filters
    (fragments are gzipped JSON behind a 12-byte signature). ``bundle``: the part of the index
    (search.bundle_folder), the first by default."""
    documents = {}
    for fragment in (site / bundle / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        document = json.loads(data[len(b"pagefind_dcd") :])
        documents[document["url"]] = document
    return documents


def runs_pagefind(pid: int) -> bool:
    """Whether the build process ``pid`` has a Pagefind child now, started by any of its threads
    (the search index starts it from a thread of its own, search.py)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += (task / "children").read_text().split()
        except OSError:
            continue
    for child in children:
        try:
            if b"pagefind" in Path(f"/proc/{child}/cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def make_project(root: Path, agreements: Path = FIXTURE / "agreements") -> Project:
    root.mkdir(parents=True)
    for name in ("mkdocs.yml", "templates", "site_overrides", "docs"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    shutil.copytree(agreements, root / "agreements")
    return Project(root)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "projekt")


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory) -> Project:
    """The fixture site, built once for the tests that only read it."""
    proj = make_project(tmp_path_factory.mktemp("bygget") / "projekt")
    result = proj.build()
    assert result.returncode == 0, result.stderr
    return proj


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Project:
    """80 agreements from the benchmark's generator, built once: enough work for two processes
    and a search index that runs for a while. Copy it before changing anything."""
    sys.path.insert(0, str(REPO / "bench"))
    from run import generate

    proj = make_project(tmp_path_factory.mktemp("genereret") / "projekt")
    shutil.rmtree(proj.agreements)
    generate(proj.agreements, 80)
    result = proj.build()
    assert result.returncode == 0, result.stderr
    return proj


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (for a real `mkdocs serve`)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chromium():
    """Debian's chromium, one per test module (see browser.py)."""
    from browser import browser

    with browser() as instance:
        yield instance


@pytest.fixture
def page(chromium):
    """A 1280 px page whose requests to other hosts fail the test (checked when it closes)."""
    from browser import GuardedPage

    guarded = GuardedPage(chromium)
    yield guarded
    guarded.close()
