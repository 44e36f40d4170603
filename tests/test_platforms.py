"""Other ways to build the site: ProperDocs (the maintained MkDocs 1.x fork) builds the same site
as MkDocs; `delaftale render` writes the generated pages as Markdown for any other generator."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import Project

GENERATOR_TAG = re.compile(rb'<meta name="generator" content="([^"]*)">')


def _build(project: Project, target: Path, module: str, *options: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    result = subprocess.run(
        [sys.executable, "-m", module, "build", "--strict", "-d", str(target), *options],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def _unstable(path: Path) -> bool:
    """Pagefind writes its filter and metadata indexes in hash-map order (Pagefind issue #638):
    they differ between any two builds, so test_site compares what they hold instead."""
    return path.parts[0] == "pagefind" and (
        path.parts[1] == "filter" or path.suffix == ".pf_meta" or path.name == "pagefind-entry.json"
    )


def _files(site: Path) -> dict[Path, bytes]:
    return {path.relative_to(site): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def test_properdocs_builds_the_same_site_as_mkdocs(project, tmp_path):
    _build(project, tmp_path / "mkdocs", "mkdocs")
    _build(project, tmp_path / "properdocs", "properdocs", "-f", "mkdocs.yml")
    sites = [_files(tmp_path / name) for name in ("mkdocs", "properdocs")]

    unstable = [{path for path in site if _unstable(path)} for site in sites]
    assert len(unstable[0]) == len(unstable[1]) >= 2
    # their names are hashes of their hash-ordered content, so only their number can be compared
    assert len({p for p in unstable[0] if p.parts[1] == "filter"}) == len(
        {p for p in unstable[1] if p.parts[1] == "filter"}
    )
    stable = [
        {path: content for path, content in site.items() if path not in skip} for site, skip in zip(sites, unstable)
    ]
    assert stable[0].keys() == stable[1].keys()
    pages = [path for path in stable[0] if path.suffix == ".html"]
    assert Path("solbakken/tryghed-og-trivsel/index.html") in pages

    # every themed page names its generator (redirect stubs do not): the one difference, and it
    # shows which of the two ran
    tags = [{page: GENERATOR_TAG.search(site[page]) for page in pages} for site in stable]
    themed = {page for page, tag in tags[0].items() if tag}
    assert len(themed) >= 15 and themed == {page for page, tag in tags[1].items() if tag}
    assert all(tags[0][page].group(1).startswith(b"mkdocs-1.") for page in themed)
    assert all(tags[1][page].group(1).startswith(b"mkdocs-ProperDocs ") for page in themed)
    untagged = [{path: GENERATOR_TAG.sub(b"", content) for path, content in site.items()} for site in stable]
    differing = sorted(str(path) for path in untagged[0] if untagged[0][path] != untagged[1][path])
    assert not differing
    assert any(path.parts[:2] == ("pagefind", "fragment") for path in stable[0])


def test_render_writes_the_generated_pages_as_markdown(project, tmp_path):
    """`delaftale render --ud DIR`: the stand-alone step for generators without MkDocs plugins
    (Zensical): every generated page, as the Markdown the plugin gives MkDocs."""
    out = tmp_path / "md"
    result = project.run("-m", "generator.cli", "render", "--ud", str(out))
    assert result.returncode == 0, result.stderr
    written = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.md"))
    assert result.stdout.strip() == f"Skrev {len(written)} sider til {out}"
    for page in (
        "index.md",
        "solbakken/index.md",
        "solbakken/tryghed-og-trivsel/index.md",
        "parter/solbakken/politiet/index.md",
        "indsatsomraader/tryghed-og-trivsel/index.md",
        "kommuner/eksempel-kommune/index.md",
    ):
        assert page in written
    agreement = (out / "solbakken" / "tryghed-og-trivsel" / "index.md").read_text(encoding="utf-8")
    assert "# Delaftale for indsatsområdet Tryghed og trivsel" in agreement and "Større oplevet tryghed" in agreement

    # the same pages a build publishes
    assert project.build_here().returncode == 0
    for page in written:  # index.md as index.html; a page of its own (the writing guide) as a folder
        built = page.removesuffix(".md") + (".html" if page.endswith("index.md") else "/index.html")
        assert (project.site / built).is_file(), page
    assert "skrivevejledning.md" in written and "data/index.md" in written  # the whole Site, not only the corpus
