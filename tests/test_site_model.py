"""The Site value (publish/site.py): built by plain functions that know nothing of MkDocs, handed
to MkDocs by the plugin in-process, and written as files by `delaftale render` — the same Site."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE, REPO, make_project
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from generator.base.problems import DelaftaleError, Problem
from generator.cli import main
from generator.mkdocs.config import site_options
from generator.publish.feed import FEED_URI
from generator.publish.manifest import MANIFEST
from generator.publish.opendata import DATA_PAGE
from generator.publish.problempage import TITLE
from generator.publish.site import SiteOptionError, SiteOptions, build_site, problem_site
from generator.render.guide import GUIDE_URI
from generator.render.html import convert

AGREEMENT = "solbakken/tryghed-og-trivsel/index.md"


def _options(**changes) -> SiteOptions:
    values = {
        "root": FIXTURE,
        "agreements_dir": FIXTURE / "agreements",
        "templates_dir": REPO / "templates",
        "reference_date": date(2025, 1, 1),
    }
    return SiteOptions(**(values | changes))


def test_the_site_holds_every_page_and_file_a_build_publishes():
    site = build_site(_options())
    assert {"index.md", AGREEMENT, "solbakken/index.md", "parter/solbakken/politiet/index.md", DATA_PAGE} <= set(
        site.pages
    )
    assert "# Delaftale for indsatsområdet Tryghed og trivsel" in site.pages[AGREEMENT].body
    assert site.guide is not None and site.guide.startswith("# Skrivevejledning")
    assert site.files[FEED_URI].startswith("<?xml") and "Tryghed og trivsel" in site.files[FEED_URI]
    assert "data/datapackage.json" in site.data_files and all(uri in site.files for uri in site.data_files)
    # the current-version alias of the dated version is a redirect stub among the files
    assert site.redirects["solbakken/tryghed-og-trivsel/2024-01-01/"] == "solbakken/tryghed-og-trivsel/"
    assert "Siden er flyttet" in site.files["solbakken/tryghed-og-trivsel/2024-01-01/index.html"]
    assert [pdf.page for pdf in site.pdfs] == ["solbakken/tryghed-og-trivsel/index.md"]
    assert site.complete and site.problems is None and site.drafts == frozenset()
    assert "solbakken/tryghed-og-trivsel/2024-01-01/" in site.records


def test_the_manifest_lists_pages_but_not_drafts_and_adds_the_feed_and_pdfs():
    site = build_site(_options(pdfs=False))
    assert site.pdfs == ()
    manifest = site.manifest(["", "solbakken/"], ["solbakken/tryghed-og-trivsel/delaftale.pdf"])
    record = yaml.safe_load(manifest.text())
    assert record["sider"] == ["", FEED_URI, "solbakken/", "solbakken/tryghed-og-trivsel/delaftale.pdf"]
    assert record["omdirigeringer"] == dict(sorted(site.redirects.items()))
    assert record["datafiler"] == sorted(site.data_files)
    assert manifest.was_published("solbakken/") and not manifest.was_published("solbakken/udkast/")


def test_converting_keeps_the_metadata_and_lets_go_of_the_markdown():
    site = build_site(_options(pdfs=False))
    html = {uri: convert(page.body, page.inserts, page.figures, uri).packed() for uri, page in site.pages.items()}
    converted = site.converted(html)
    assert set(converted.pages) == set(site.pages) and converted.html == html
    assert all(page.body == "" for page in converted.pages.values())
    assert converted.pages[AGREEMENT].meta == site.pages[AGREEMENT].meta
    assert site.pages[AGREEMENT].body  # a new value: the site it came from is unchanged


def test_a_preview_builds_one_plan_and_a_wrong_plan_is_named_in_danish():
    assert build_site(_options(preview_plan="solbakken")).preview == "solbakken"
    with pytest.raises(SiteOptionError, match="planen 'solbaken' findes ikke — mente du solbakken?"):
        build_site(_options(preview_plan="solbaken"))


def test_the_problem_site_shows_the_problems_at_every_address_and_keeps_the_guide():
    good = build_site(_options(pdfs=False))
    error = DelaftaleError([Problem("agreements/solbakken/plan.yaml", 3, "navn", "mangler")])
    site = problem_site(error, _options(pdfs=False), set(good.pages), good)
    assert set(good.pages) <= set(site.pages)
    assert all(page.meta["title"] == TITLE and "mangler" in page.body for page in site.pages.values())
    assert site.problems is error and site.pdfs == () and site.redirects == {} and site.data_files == ()
    assert site.guide == good.guide and site.files[FEED_URI] == good.files[FEED_URI]
    first = problem_site(error, _options(pdfs=False), set())  # no good build yet: the folders' addresses
    assert {AGREEMENT, "solbakken/index.md", "index.md", DATA_PAGE} <= set(first.pages)


def test_the_site_model_and_the_supervisor_import_nothing_of_mkdocs():
    code = (
        "import sys, generator.publish.site, generator.publish.supervisor; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'properdocs')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert result.stdout.strip() == "[]"


def _built(project) -> tuple:
    """The project built in this process as `mkdocs build` does: (config, the plugin)."""
    config = load_config(str(project.root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config, config.plugins["delaftaler"]


def test_render_writes_the_same_site_that_mkdocs_builds(project, tmp_path, monkeypatch):
    config, plugin = _built(project)
    assert (project.site / MANIFEST).is_file() and not list(project.root.glob("site.bygges-*"))
    out = tmp_path / "md"
    monkeypatch.chdir(project.root)
    assert main(["render", "--ud", str(out)]) == 0
    written = {path.relative_to(out).as_posix() for path in out.rglob("*") if path.is_file()}
    built = plugin.site  # what MkDocs got: the pages converted
    expected = build_site(site_options(config, plugin.config))  # the same options, built again
    assert {uri for uri in written if uri.endswith(".md")} == set(built.pages) | {GUIDE_URI}
    assert written == {path for path, _ in expected.files_to_write()}
    for uri, page in expected.pages.items():
        assert (out / uri).read_text(encoding="utf-8") == page.markdown, uri
        assert convert(page.body, page.inserts, page.figures, uri).html == built.html[uri].html, uri
        assert yaml.safe_load(page.markdown.split("---\n")[1]) == built.pages[uri].meta
    assert (out / GUIDE_URI).read_text(encoding="utf-8") == built.guide
    copied = [uri for uri in written if not uri.endswith(".md")]
    assert FEED_URI in copied and "data/datapackage.json" in copied
    assert any(uri.endswith("/index.html") for uri in copied)  # the redirect stubs
    for uri in copied:  # feed, open data, redirects: the very bytes the build wrote
        assert (out / uri).read_bytes() == (project.site / uri).read_bytes(), uri
    for uri in built.pages:
        assert (project.site / uri).with_suffix(".html").is_file(), uri


def test_serve_clean_is_told_by_its_start_not_by_its_folder_name(tmp_path):
    """`mkdocs serve --clean` (and properdocs') start plugins as 'build': the first build is
    staged beside serve's folder and put in place when the server starts; rebuilds write it."""
    project = make_project(tmp_path / "projekt")
    served = Path(tempfile.mkdtemp(prefix="properdocs_", dir=tmp_path))  # no 'mkdocs_' name to go by
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(served))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
        assert not (served / "index.html").exists()  # complete, waiting beside it
        assert len(list(tmp_path.glob("properdocs_*.bygges-*"))) == 1
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(served))
        config.plugins.on_serve(server, config=config, builder=lambda: None)
        assert "Solbakken" in (served / "index.html").read_text(encoding="utf-8")
        assert config.site_dir == str(served) and not list(tmp_path.glob("properdocs_*.*"))
        project.edit("solbakken/plan.yaml", "navn: Solbakken", "navn: Solbakken Syd")
        rebuild = load_config(str(project.root / "mkdocs.yml"), site_dir=str(served))
        build(rebuild)  # the same plugin (MkDocs keeps it between rebuilds), now writing serve's folder
        assert "Solbakken Syd" in (served / "index.html").read_text(encoding="utf-8")
        assert not list(tmp_path.glob("properdocs_*.*"))
    finally:
        config.plugins.on_shutdown()
    assert not project.site.exists()
