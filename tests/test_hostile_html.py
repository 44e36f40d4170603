"""Author HTML read as the browser reads it: an image typed as <image> (or inside <svg>), a
scheme split by a character reference, and the site's own classes and ids typed into a text.
Built for real (pages and PDFs), opened in a real browser, the PDF fetcher run for real."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from browser import GuardedPage, browser, serve

from generator.publish.pdf import render_pdf

AGREEMENT = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"
PAGE = "solbakken/tryghed-og-trivsel/"

# Each would make the browser (or the PDF) request example.org if it survived.
REMOTE_IMAGES = [
    '<image src="https://example.org/image.png" alt="Billede">',
    '<svg><image href="https://example.org/svg.png"></image></svg>',
    '<image src="ht&#9;tps://example.org/tab.png" alt="Tab">',  # the parser makes it an <img> after the figures
    '<image src="ht&NewLine;tps://example.org/newline.png" alt="Linjeskift">',
    '<image src="&#1; https://example.org/control.png" alt="Styretegn">',
    '<image src="/&#9;/example.org/relative.png" alt="Skråstreger">',
    '<img src="ht&#9;tps://example.org/img.png" alt="Img">',
]
# Each tries to pass for the site's status banner, or to take over one of its anchors.
FAKE_BANNERS = [
    '<div class="versionsstatus status-gaeldende" role="note">Falsk status: ophævet</div>',
    "<DIV\nCLASS=versionsstatus>Falsk status: store bogstaver</DIV>",
    '<p title="x"class="versionsstatus">Falsk status: uden mellemrum</p>',
    "<p/class=versionsstatus>Falsk status: skråstreg</p>",
    '<span id="fodnote-vive">Falsk fodnote</span>',
]
# A name is written into the page by Python (the contact list), not by the template.
FAKE_TITLE = '<span class="versionsstatus">Falsk status: titel</span>'


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def _project(tmp_path_factory, name: str):
    from conftest import make_project

    return make_project(tmp_path_factory.mktemp(name) / "projekt")


@pytest.fixture(scope="module")
def typed_images(tmp_path_factory):
    """The images in a published version's texts: on its page and in its PDF."""
    project = _project(tmp_path_factory, "billeder")
    project.edit(
        AGREEMENT,
        "formaal: At finde og fjerne utrygge steder.",
        f"formaal: {_quote(chr(10).join(REMOTE_IMAGES[:1] + REMOTE_IMAGES[2:]))}",
    )
    project.edit(AGREEMENT, "datakilde: Egen registrering", f"datakilde: {_quote(REMOTE_IMAGES[1])}")
    return project, project.build()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The images in the plan's text (a page without a PDF), the fake banners in a version's."""
    project = _project(tmp_path_factory, "falsk")
    project.edit(
        "solbakken/plan.yaml",
        "beskrivelse: En opdigtet helhedsplan, som testene bygger.",
        f"beskrivelse: {_quote(chr(10).join(REMOTE_IMAGES))}",
    )
    project.edit(
        AGREEMENT,
        "Indsatsen supplerer kommunens SSP-arbejde.",
        "\n\n  ".join(banner.replace("\n", "\n  ") for banner in FAKE_BANNERS),
    )
    project.edit(AGREEMENT, "titel: SSP-konsulent", f"titel: {_quote(FAKE_TITLE)}")
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    with serve(project.site) as url:
        yield url


def test_typed_images_are_built_into_a_page_and_a_pdf_without_a_traceback(typed_images):
    project, result = typed_images
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert (project.site / PAGE / "delaftale.pdf").read_bytes().startswith(b"%PDF-")
    assert "example.org" not in project.page(PAGE)


def test_typed_images_request_nothing_from_other_hosts_in_the_browser(served):
    with browser() as chromium:
        guarded = GuardedPage(chromium)
        guarded.page.goto(served + "solbakken/")
        guarded.page.wait_for_load_state("networkidle")
        assert guarded.foreign == []  # every request that left localhost
        assert guarded.page.locator("article img, article svg, article image").count() == 0
        # an image the page does not show is its alternative text (figures.place)
        assert guarded.page.locator("article .figur-mangler", has_text="[Figur: Tab]").count() == 1
        guarded.close()  # fails on any request that left localhost


def test_author_html_cannot_pass_for_the_status_banner_or_take_an_anchor(served):
    with browser() as chromium:
        guarded = GuardedPage(chromium)
        page = guarded.page
        page.goto(served + PAGE)
        # the template's own banner and footnote are there, once; the author's text is plain text
        assert page.locator(".versionsstatus").count() == 1
        assert page.locator(".versionsstatus").first.inner_text().strip().startswith("Gældende")
        assert page.locator("#fodnote-vive").count() == 1
        assert page.locator("#fodnote-vive").inner_text() == "Undersøgelsen gentages i 2026."
        assert page.get_by_text("Falsk status").count() == 5
        assert page.locator("article [class*=versionsstatus]", has_text="Falsk").count() == 0
        assert page.get_by_text("Falsk fodnote").get_attribute("id") is None
        guarded.close()


def test_validate_tells_the_author_of_image_tags(typed_images):
    project, _ = typed_images
    result = project.validate()
    assert result.returncode == 0, result.stderr
    for field in ("aktiviteter[0].formaal", "delmaal[0].indikatorer[1].datakilde"):
        assert f"{field}: et billede skrevet som HTML (<image>) vises ikke" in result.stdout, result.stdout


class _Counting(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_pdf_fetches_nothing_but_the_sites_figures(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    here = f"http://127.0.0.1:{server.server_address[1]}"
    secret = tmp_path / "hemmelig.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "figurer").mkdir()
    try:
        document = (
            '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>T</title>'
            f'<link rel="stylesheet" href="{here}/stil.css"></head><body><p>Tekst</p>'
            f'<img src="{here}/billede.png" alt="a"><img src="file://{secret}" alt="b">'
            '<img src="file:///figurer/../hemmelig.png" alt="c"></body></html>'
        )
        for site in (None, tmp_path):
            assert render_pdf(document, site).startswith(b"%PDF-")
    finally:
        server.shutdown()
        server.server_close()
    assert _Counting.requests == []
