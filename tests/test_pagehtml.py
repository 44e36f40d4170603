"""Generated pages' Markdown -> HTML (pagehtml), alone: no MkDocs."""

from __future__ import annotations

from generator.render.html import convert


def test_heading_ids_come_from_attribute_lists_or_as_python_markdown_would_make_them():
    page = convert("# Økonomi og opfølgning\n\n## Tryghed {: #tryghedsindsats }\n\n## Tryghed\n\n## Tryghed\n")
    assert (
        '<h1 id="konomi-og-opflgning">Økonomi og opfølgning<a class="headerlink" href="#konomi-og-opflgning"'
        in page.html
    )
    assert '<h2 id="tryghedsindsats">Tryghed<a class="headerlink"' in page.html
    assert '<h2 id="tryghed">' in page.html and '<h2 id="tryghed_1">' in page.html
    assert "{:" not in page.html
    assert {"tryghedsindsats", "tryghed", "tryghed_1"} <= page.anchors  # what links from other pages may target


def test_table_of_contents_nests_h1_to_h3_and_leaves_deeper_headings_out():
    page = convert("# A\n\n## B {: #b }\n\n### C *kursiv* {: #c }\n\n#### D {: #d }\n\n## E {: #e }\n")
    [root] = page.toc
    assert root.name == "A"
    assert [(c.id, c.name) for c in root.children] == [("b", "B"), ("e", "E")]
    assert [(c.id, c.name, c.children) for c in root.children[0].children] == [("c", "C kursiv", [])]
    assert '<h4 id="d">' in page.html
    assert root.as_token()["children"][0]["children"][0]["id"] == "c"


def test_footnotes_are_superscript_marks_with_danish_labels():
    page = convert("Utrygge i aftentimerne[^3]. Begge\n\n[^3]: Beboerundersøgelse 2016.\n")
    assert (
        'aftentimerne<a id="fnref-3" class="footnote-ref" href="#fn-3" aria-label="Fodnote 1">¹</a>. Begge' in page.html
    )
    assert '<div class="footnote"><hr>' in page.html and 'id="fn-3"' in page.html
    assert 'title="Tilbage til henvisning 1 i teksten">↑</a>' in page.html
    assert "Back to" not in page.html


def test_author_html_is_sanitised():
    page = convert(
        'Tekst <img src=x onerror="alert(1)"> <a href="javascript:alert(2)">klik</a>\n\n<script>alert(3)</script>\n'
    )
    assert "onerror" not in page.html and "javascript:" not in page.html and "<script" not in page.html
    assert "klik" in page.html


def test_lists_tables_and_html_blocks_with_markdown_inside():
    page = convert(
        '<div class="standardtekst" markdown>\n\n**Fed** tekst:\n- punkt\n\n</div>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'
    )
    assert '<div class="standardtekst">' in page.html
    assert "<strong>Fed</strong>" in page.html and "<li>punkt</li>" in page.html
    assert '<td role="cell" data-label="a">1</td>' in page.html  # reflows on phones (texttables.py)


def test_a_contents_marker_becomes_the_pages_sections_as_a_folded_list():
    page = convert(
        '# Titel\n\n<div class="sideindhold"></div>\n\n## Første {: #foerste }\n\n### Under\n\n## Anden & sidste\n'
    )
    box = page.html[page.html.index('<details class="sideindhold">') : page.html.index("</details>")]
    assert "<summary>Indhold</summary>" in box
    assert (
        '<li><a href="#foerste">Første</a><ul><li><a href="#under">Under</a></li></ul></li>'
        '<li><a href="#anden-sidste">Anden &amp; sidste</a></li>'
    ) in box
    assert "Titel" not in box  # the page's own title is not a section
    assert '<div class="sideindhold"></div>' not in page.html
    assert "sideindhold" not in convert("# Titel\n\n## Afsnit\n").html  # only where a template asks


# --------------------------------------------------------------------------- memory
# cmarkgfm's wrappers never free what cmark-gfm allocates (commonmark.py); a build of 1,000
# agreements kept some 1.5 GB of it. Measured on the bundled agreements' real pages.


def _resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def _bundled_pages() -> dict:
    from conftest import REPO

    from generator.corpus import load_corpus
    from generator.render.renderer import Renderer

    return Renderer(REPO / "templates").render_corpus(load_corpus(REPO / "agreements", root=REPO))


def test_the_leak_free_conversion_gives_exactly_cmarkgfms_html():
    import cmarkgfm

    from generator.render.commonmark import commonmark_html, github_html
    from generator.render.html import _OPTIONS

    texts = [page.body for page in _bundled_pages().values()]
    texts += [
        "",
        "  \n",
        "| a | b |\n|---|---|\n| 1 | ~~2~~ |",
        "x[^1]\n\n[^1]: y",
        "www.example.dk - [ ] punkt",
        "<div>\n\n*rå* HTML\n\n</div>",
        "Æble, øl og å\u0301 — “citat”",
    ]
    for text in texts:
        assert github_html(text, _OPTIONS) == cmarkgfm.github_flavored_markdown_to_html(text, options=_OPTIONS)
        assert commonmark_html(text) == cmarkgfm.markdown_to_html(text)


def test_converting_pages_again_and_again_keeps_no_memory():
    pages = list(_bundled_pages().values())
    for page in pages:  # warm: imports, caches, the allocator's first arenas
        convert(page.body, page.inserts, page.figures)
    before = _resident_mb()
    converted = 0
    while converted < 2000:
        for page in pages:
            convert(page.body, page.inserts, page.figures)
            converted += 1
    grown = _resident_mb() - before
    # cmarkgfm's own wrapper kept about 35 KB a conversion of these: some 70 MB here.
    assert grown < 15, f"{converted} conversions kept {grown:.0f} MB"
