"""Shared helpers: real projects in tmp_path, real YAML files, real MkDocs builds."""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

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
        """`mkdocs build --strict` as a command: for tests of its exit status and terminal output."""
        return self.run("-m", "mkdocs", "build", "--strict", *extra)

    def build_here(self, site_dir: Path | None = None, **env: str) -> Built:
        """The same build in this process (see :func:`build_in_process`)."""
        return build_in_process(self.root, site_dir, **env)

    def validate(self) -> subprocess.CompletedProcess:
        return self.run("-m", "generator.cli", "validate", "--mappe", "agreements")

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")


@dataclass
class Built:
    """What an in-process build reports, shaped like the command's CompletedProcess: 0 when the
    site was built, 1 when MkDocs aborted; ``stderr`` has the log lines as `mkdocs build` writes
    them without a terminal (``LEVEL    -  message``)."""

    returncode: int
    stderr: str
    stdout: str = ""


class _CommandFormat(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {super().format(record)}"


def build_in_process(root: Path, site_dir: Path | None = None, **env: str) -> Built:
    """`mkdocs build --strict [-d site_dir]` in ``root``, in this process, with MkDocs' public API
    as its command line does it (load_config, the plugins' startup and shutdown events around
    build): saves starting Python and importing MkDocs, Material and WeasyPrint per build. For
    tests that read the built site; tests of the command itself (exit status, terminal output,
    signals) run the command. ``env``: environment variables set for this build only. Restores
    what a build changes in the process: the working folder, the environment, the 'mkdocs'
    logger (the command sets its level and handler), SIGTERM's handler (the plugin restores it
    at shutdown)."""
    logger = logging.getLogger("mkdocs")
    saved = (logger.level, logger.propagate, list(logger.handlers), os.getcwd())
    environment = dict(os.environ)
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.setFormatter(_CommandFormat())
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.handlers = [handler]
    returncode = 0
    try:
        os.environ.update(env)
        os.chdir(root)  # as `cwd=root` for the command: relative paths in messages and environment
        config = load_config(
            config_file=str(root / "mkdocs.yml"), strict=True, site_dir=str(site_dir) if site_dir else None
        )
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config, dirty=False)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:  # the command prints these (Abort, ConfigurationError) and exits with 1
        output.write(f"{error.format_message()}\n")
        returncode = 1
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]
        os.chdir(saved[3])
        os.environ.clear()
        os.environ.update(environment)
    return Built(returncode, output.getvalue())


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
    result = proj.build_here()
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


#: fixtures whose value is a built site, or a browser
BUILDING_FIXTURES = {"built_fixture", "generated"}
BROWSER_FIXTURES = {"chromium", "page"}


def _builds(code: types.CodeType) -> bool:
    """Calls a ``build``/``build_here`` attribute (Project's), or runs a command whose arguments
    are "mkdocs" (or "properdocs") and "build"."""
    if {"build", "build_here", "build_in_process"} & set(code.co_names):
        return True
    constants = {c for c in code.co_consts if isinstance(c, str)}
    return "build" in constants and bool(constants & {"mkdocs", "properdocs"})


def _starts_a_browser(code: types.CodeType) -> bool:
    """Starts chromium itself (browser.py's ``browser``) rather than through the fixtures."""
    return {"browser", "GuardedPage"} <= set(code.co_names) or "chromium" in code.co_varnames


def _reaches(code: types.CodeType, namespace: dict, does, seen: set) -> bool:
    """Whether ``does(code)`` holds for ``code``, a function nested in it, or a function of its
    module it calls (followed by name)."""
    if code in seen:
        return False
    seen.add(code)
    if does(code):
        return True
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType) and _reaches(constant, namespace, does, seen):
            return True
    for name in code.co_names:
        called = namespace.get(name)
        if isinstance(called, types.FunctionType) and _reaches(called.__code__, called.__globals__, does, seen):
            return True
    return False


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks (--dist loadgroup)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks by what a test uses, itself or through its fixtures: ``browser`` for chromium,
    ``build`` for building a site. ``slow`` is written by hand. The tests sharing a module-scoped
    fixture that builds a site form one xdist group: one worker runs them and builds it once,
    where plain load balancing would build it on each worker."""
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        info = item._fixtureinfo
        functions = [
            f
            for f in [item.function] + [d.func for defs in info.name2fixturedefs.values() for d in defs]
            if isinstance(f, types.FunctionType) and not f.__module__.startswith(("_pytest", "pytest"))
        ]
        used = set(info.names_closure)
        if BROWSER_FIXTURES & used or any(
            _reaches(f.__code__, f.__globals__, _starts_a_browser, set()) for f in functions
        ):
            item.add_marker(pytest.mark.browser)
        if BUILDING_FIXTURES & used or any(_reaches(f.__code__, f.__globals__, _builds, set()) for f in functions):
            item.add_marker(pytest.mark.build)
        shared = sorted(
            name
            for name, defs in info.name2fixturedefs.items()
            if defs[-1].scope == "module"
            and _reaches(defs[-1].func.__code__, defs[-1].func.__globals__, _builds, set())
        )
        if shared:
            item.add_marker(pytest.mark.xdist_group(f"{item.module.__name__}:{'+'.join(shared)}"))
