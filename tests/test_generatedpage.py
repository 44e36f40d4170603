"""The Page subclass of generated pages (generatedpage.py), with MkDocs' own config and files."""

from __future__ import annotations

from mkdocs.config import load_config
from mkdocs.structure.files import File, Files

from generator.mkdocs.pages import GeneratedPage
from generator.render.html import convert


def _page(tmp_path):
    (tmp_path / "docs").mkdir()
    config = load_config(
        config_file=None, site_name="Prøve", docs_dir=str(tmp_path / "docs"), site_dir=str(tmp_path / "site")
    )
    file = File("plan/aftale/index.md", src_dir=None, dest_dir=config.site_dir, use_directory_urls=True)
    file.content_string = ""  # as File.generated in the plugin
    converted = convert("# Aftale\n\n## Parter {: #parter }\n\nTekst med æøå.\n").packed()
    return GeneratedPage(file, config, {"title": "Aftale"}, converted), config, file


def test_the_page_reads_no_markdown_and_shows_its_converted_html(tmp_path):
    page, config, file = _page(tmp_path)
    assert file.page is page and page.meta == {"title": "Aftale"}
    page.read_source(config)
    page.render(config, Files([file]))
    assert page.markdown == ""
    assert page.title == "Aftale"
    assert [item.id for item in page.toc.items[0].children] == ["parter"]
    assert "parter" in page.present_anchor_ids
    assert '<h2 id="parter">Parter' in page.content and "æøå" in page.content


def test_html_set_back_is_kept_only_when_a_plugin_changed_it(tmp_path):
    page, _, _ = _page(tmp_path)
    packed = page._converted
    page.content = page.content  # what MkDocs does with on_page_content's result
    assert page._converted is packed
    page.content = page.content.replace("Tekst", "Ændret tekst")
    assert "Ændret tekst med æøå" in page.content and page._converted is not packed
    assert page._converted.toc == packed.toc and page._converted.anchors == packed.anchors


def test_nav_titles_are_read_from_every_level_of_the_nav():
    from generator.mkdocs.pages import nav_titles

    nav = [{"Forside": "index.md"}, {"Om": [{"Sitet": "om.md"}, {"Data": "data/index.md"}]}, "fri.md"]
    assert nav_titles(nav) == {"index.md": "Forside", "om.md": "Sitet", "data/index.md": "Data"}
    assert nav_titles(None) == {}
