"""Hostile content typed into agreements: built for real and opened in a real browser, no
payload runs (no dialog, no flag set, no event handler or javascript: URL left in the DOM)."""

from __future__ import annotations

import json
import re

import pytest
from browser import GuardedPage, browser, serve
from playwright.sync_api import expect

AGREEMENT = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"

# Each payload tries to call alert() or set window.__xss when it runs.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<img src=x onerror=alert(1)>",
    '<svg onload="window.__xss=1"></svg>',
    "<svg><script>window.__xss=1</script></svg>",
    '<iframe src="javascript:window.top.__xss=1"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<a href="javascript:window.__xss=1">klik</a>',
    '<a href="JaVaScRiPt:window.__xss=1">klik</a>',
    '<a href="&#106;avascript:window.__xss=1">klik</a>',
    "[klik](javascript:window.__xss=1)",
    '<a href="data:text/html,<script>alert(1)</script>">data</a>',
    '<p onmouseover="window.__xss=1">hover</p>',
    '<div onclick="window.__xss=1">klik</div>',
    '<details open ontoggle="window.__xss=1"><summary>x</summary></details>',
    '<body onload="window.__xss=1">',
    '<object data="javascript:window.__xss=1"></object>',
    '<embed src="javascript:window.__xss=1">',
    '<form action="javascript:window.__xss=1"><button>send</button></form>',
    '<input autofocus onfocus="window.__xss=1">',
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
    '<style>@import "javascript:window.__xss=1";</style>',
    '<link rel="stylesheet" href="javascript:window.__xss=1">',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    '<base href="javascript:window.__xss=1//">',
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    "<scr<script>ipt>window.__xss=1</scr</script>ipt>",
]


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    from conftest import make_project

    project = make_project(tmp_path_factory.mktemp("fjendtlig") / "projekt")
    block = "\n\n".join(PAYLOADS)
    project.edit(AGREEMENT, "formaal: At finde og fjerne utrygge steder.", f"formaal: {_quote(block)}")
    project.edit(
        AGREEMENT, "        datakilde: Egen registrering", f"        datakilde: {_quote(' '.join(PAYLOADS[:10]))}"
    )
    project.edit(
        AGREEMENT, "          - udbedrer fysiske fejl", "\n".join(f"          - {_quote(p)}" for p in PAYLOADS)
    )
    project.edit(AGREEMENT, "    navn: Tryghedsvandringer", f"    navn: {_quote(PAYLOADS[0] + ' Vandringer')}")
    project.edit("solbakken/plan.yaml", "navn: Solbakken Sammen", f"navn: {_quote('Solbakken ' + PAYLOADS[2])}")
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    with serve(project.site) as url:
        yield url


# The search page shows excerpts of the payloads' text (and the plan filter its name).
@pytest.mark.parametrize(
    "path", ["", "solbakken/", "solbakken/tryghed-og-trivsel/", "soeg/?q=klik", "soeg/?q=vandringer"]
)
def test_no_payload_runs_in_the_browser(hostile_site, path):
    with browser() as chromium:
        guarded = GuardedPage(chromium)
        page = guarded.page
        page.goto(hostile_site + path)
        page.wait_for_load_state("networkidle")
        scope = "article"
        if path.startswith("soeg/"):  # the search form is the page's own; look at the results
            expect(page.get_by_role("status")).to_have_text(re.compile(r"^\d+ resultat"))
            page.get_by_text("Afgræns til en helhedsplan").click()  # the filters show the plan's name
            expect(page.get_by_label("Helhedsplan")).to_contain_text("Solbakken")
            scope = "#soegeresultater, #soegefiltre"
        # what a reader does: move the mouse over things, focus them (events reach every element)
        page.evaluate(
            """(scope) => document.querySelectorAll(scope.split(', ').map(s => s + ' *').join(', ')).forEach(el => {
            for (const type of ['mouseover', 'mouseenter', 'focus', 'toggle'])
                el.dispatchEvent(new Event(type, {bubbles: true}));
        })""",
            scope,
        )
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss") is None
        assert guarded.dialogs == []
        handlers = page.evaluate(
            """(scope) => [...document.querySelectorAll(scope.split(', ').map(s => s + ' *').join(', '))].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on') || /^\\s*(javascript|data):/i.test(a.value))
            .map(a => el.tagName + ' ' + a.name + '=' + a.value))""",
            scope,
        )
        assert handlers == []
        dangerous = ", ".join(
            f"{s} {tag}" for s in scope.split(", ") for tag in ("iframe", "object", "embed", "form", "script")
        )
        assert page.locator(dangerous).count() == 0
        guarded.close()


def test_the_payload_set_is_large_enough():
    assert len(PAYLOADS) >= 30
