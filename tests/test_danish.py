"""Danish for authors and readers: the 404 page, `delaftale`'s help and errors, and a build
output without MkDocs' list of pages missing from the nav."""

from __future__ import annotations

import argparse
import functools
import re
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser import GuardedPage, axe_violations, browser

from generator.cli import build_parser

# What argparse says in English; any of these in `delaftale`'s output is a leak.
ENGLISH = re.compile(
    r"\b(usage|options|optional|positional|arguments|show this|help message|error|required|"
    r"invalid|choose from|expected|unrecognized|ambiguous|not allowed)\b",
    re.I,
)


def _delaftale(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def _commands() -> list[str]:
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return list(subparsers.choices)


def test_every_commands_help_is_danish():
    commands = _commands()
    assert {"validate", "forhaandsvis", "ny-version"} <= set(commands)
    for command in ["", *commands]:
        result = _delaftale(*filter(None, [command]), "--help")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"brug: delaftale {command}".rstrip() + " "), result.stdout
        assert "-h, --help" in result.stdout and "vis denne hjælp og afslut" in result.stdout
        assert not ENGLISH.search(result.stdout), (command, ENGLISH.search(result.stdout)[0], result.stdout)
    top = _delaftale("--help").stdout
    assert "kommandoer:" in top and "tilvalg:" in top


@pytest.mark.parametrize(
    ("args", "danish"),
    [
        ([], "delaftale: fejl: disse argumenter mangler: KOMMANDO"),
        (["valider"], "delaftale: fejl: argumentet KOMMANDO: ugyldigt valg: 'valider' (vælg mellem 'validate', "),
        (["validate", "--mapppe", "x"], "delaftale: fejl: ukendte argumenter: --mapppe x"),
        (["ny-version"], "delaftale ny-version: fejl: disse argumenter mangler: delaftale, --fra"),
        (["ny-version", "agreements/x", "--fra"], "delaftale ny-version: fejl: argumentet --fra: mangler en værdi"),
    ],
)
def test_usage_errors_are_danish(args, danish):
    result = _delaftale(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("brug: delaftale"), result.stderr
    assert danish in result.stderr
    assert not ENGLISH.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_argparse_is_english_again_outside_the_parser():
    """The translation lives only while delaftale's parser works: nothing else is changed."""
    before = argparse._
    build_parser().format_help()
    assert argparse._ is before
    plain = argparse.ArgumentParser(prog="andet")
    assert plain.format_usage().startswith("usage: andet")


def test_build_output_has_no_list_of_pages_missing_from_the_nav(project):
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "not included in the" not in result.stderr
    assert "solbakken/index.md" not in result.stderr and "parter/" not in result.stderr
    # a hand-written page left out of the nav is still pointed out
    (project.root / "docs" / "glemt.md").write_text("# Glemt\n", encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    listed = result.stderr[result.stderr.index("not included in the") :]
    assert "  - glemt.md" in listed and "soeg.md" not in listed and "solbakken" not in listed


def test_404_page_is_danish_and_links_from_the_server_root(built_fixture):
    html = (built_fixture.site / "404.html").read_text(encoding="utf-8")
    assert "Not found" not in html and "404 -" not in html
    assert "<title>Siden findes ikke - Boligsociale delaftaler</title>" in html
    assert "<h1>Siden findes ikke</h1>" in html
    # served at any depth, so links start at the root (no site_url: the server's root)
    assert '<a href="/">Gå til forsiden</a>' in html and '<a href="/soeg/">Søg i delaftalerne</a>' in html
    assert re.search(r'<link rel="stylesheet" href="/assets/stylesheets/main\.[^"]+\.min\.css">', html)


def test_404_page_links_under_the_site_url(project):
    result = project.build_here(DELAFTALER_SITE_URL="https://delaftaler.example.dk/boligsocialt/")
    assert result.returncode == 0, result.stderr
    html = (project.site / "404.html").read_text(encoding="utf-8")
    assert '<a href="/boligsocialt/">Gå til forsiden</a>' in html
    assert '<a href="/boligsocialt/soeg/">Søg i delaftalerne</a>' in html


class _NotFound(SimpleHTTPRequestHandler):
    """A static host: a missing address gets 404.html with status 404 (as GitLab/GitHub Pages do)."""

    def log_message(self, *args):
        pass

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def _host(folder: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_NotFound, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("width", [375, 1280])
def test_404_page_deep_in_the_site_works_in_a_browser(built_fixture, width):
    with _host(built_fixture.site) as url, browser() as chromium:
        guarded = GuardedPage(chromium, width=width)
        page = guarded.page
        response = page.goto(url + "solbakken/findes-ikke/heller-ikke/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Siden findes ikke"
        assert page.locator("html").get_attribute("lang") == "da"
        # the theme's stylesheet loaded from the root, not relative to the missing address
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert axe_violations(page) == []
        page.get_by_role("link", name="Gå til forsiden").click()
        page.wait_for_url(url)
        assert page.get_by_role("link", name="Solbakken Sammen").first.is_visible()
        page.goto(url + "a/b/c/d")
        page.get_by_role("link", name="Søg i delaftalerne").click()
        page.wait_for_url(url + "soeg/")
        guarded.close()
