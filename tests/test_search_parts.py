"""A search index built in parts (search.py, ``search_part_chars``), merged by the search page:
the bundled agreements with parts small enough to need several, searched in chromium."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from browser import serve
from conftest import REPO, build_in_process, search_documents
from playwright.sync_api import expect


def _parts(site) -> list[set[str]]:
    """The URLs each part of the index holds, the first part first."""
    others = json.loads((site / "pagefind" / "dele.json").read_text(encoding="utf-8"))
    return [set(search_documents(site))] + [set(search_documents(site, other.strip("./"))) for other in others]


@pytest.fixture(scope="module")
def split_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("soegedele") / "projekt"
    root.mkdir()
    for name in ("templates", "site_overrides", "docs", "agreements"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - delaftaler:\n", "  - delaftaler:\n      search_part_chars: 150000\n", 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build_in_process(root, SOURCE_DATE_EPOCH="1767225600")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_each_page_is_in_one_part_and_the_first_part_names_the_others(split_site):
    others = json.loads((split_site / "pagefind" / "dele.json").read_text(encoding="utf-8"))
    assert len(others) >= 2, others
    assert others == [f"../pagefind-{n}/" for n in range(2, len(others) + 2)]
    parts = _parts(split_site)
    assert all(parts)
    assert sum(len(p) for p in parts) == len(set().union(*parts))  # no page in two parts
    assert "/brondby-strand/sammenhaengskraft-og-medborgerskab/" in set().union(*parts)


def test_the_search_page_finds_pages_of_every_part(split_site, page):
    parts = _parts(split_site)
    with serve(split_site) as url:
        page.page.goto(url + "soeg/?q=tryghed")
        expect(page.page.get_by_role("status")).to_contain_text("for »tryghed«", timeout=15_000)
        shown = int(re.match(r"(\d+) resultat", page.page.get_by_role("status").inner_text())[1])
        found = set(
            page.page.evaluate("""async () => {
            const pagefind = await import(new URL("../pagefind/pagefind.js", document.baseURI).href);
            const search = await pagefind.search("tryghed");
            return Promise.all(search.results.map(async r => (await r.data()).url));
        }""")
        )
    # The page's own instance merged every part: its results come from more than one of them.
    assert shown == len(found)
    assert sum(1 for part in parts if part & found) >= 2, [len(part & found) for part in parts]
