"""Nothing from outside the project reaches the site or the logs through a symbolic link.

Real links (to files and folders) under agreements/, templates/, docs/ and the theme's site_overrides/; the outside files hold
a marker that must appear nowhere: not in the site, not in the output. A link that stays inside
the project is fine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.source.symlinks import LINK, links_leading_outside

SECRET = "HEMMELIGT-INDHOLD-7f3a"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """Files beside the project, as a home folder or /etc would be."""
    folder = tmp_path / "udenfor"
    folder.mkdir()
    (folder / "noegle.yaml").write_text(f"id: {SECRET}\n", encoding="utf-8")
    (folder / "side.md").write_text(f"# {SECRET}\n", encoding="utf-8")
    (folder / "skabelon.md.j2").write_text(f"{SECRET}\n", encoding="utf-8")
    return folder


def _site_text(project) -> str:
    if not project.site.exists():
        return ""
    return "".join(p.read_text(encoding="utf-8", errors="replace") for p in project.site.rglob("*") if p.is_file())


def test_a_build_refuses_links_leading_out_of_the_project_and_names_only_the_links(project, outside):
    assert project.build_here().returncode == 0
    before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    (project.agreements / "solbakken" / "ekstra.yaml").symlink_to(outside / "noegle.yaml")
    (project.root / "docs" / "mere.md").symlink_to(outside / "side.md")
    (project.root / "templates" / "udefra").symlink_to(outside, target_is_directory=True)
    (project.root / "site_overrides" / "fremmed.html").symlink_to(outside / "side.md")  # the theme's folder
    result = project.build()
    assert result.returncode != 0
    assert "4 fejl i 4 filer:" in result.stderr
    for link in ("agreements/solbakken/ekstra.yaml", "docs/mere.md", "templates/udefra", "site_overrides/fremmed.html"):
        assert f"  {link}: {LINK}" in result.stderr
    assert "Intet er læst eller bygget; det tidligere site er uændret." in result.stderr
    assert SECRET not in result.stderr + result.stdout and "udenfor" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()} == before


def test_validate_and_render_refuse_them_before_reading(project, outside, tmp_path):
    (project.agreements / "solbakken" / "mappe").symlink_to(outside, target_is_directory=True)
    result = project.validate()
    assert result.returncode == 1
    assert result.stderr == f"1 fejl i 1 fil:\n  agreements/solbakken/mappe: {LINK}\n"
    (project.agreements / "solbakken" / "mappe").unlink()
    (project.root / "templates" / "fremmed.md.j2").symlink_to(outside / "skabelon.md.j2")
    result = project.run(
        "-m",
        "generator.cli",
        "render",
        "--mappe",
        "agreements",
        "--skabeloner",
        "templates",
        "--ud",
        str(tmp_path / "md"),
    )
    assert result.returncode == 1
    assert result.stderr == f"1 fejl i 1 fil:\n  templates/fremmed.md.j2: {LINK}\n"
    assert not (tmp_path / "md").exists()


def test_a_link_inside_the_project_is_followed_and_checked(project, outside):
    """A folder link that stays inside is fine; what it leads to is checked like the rest."""
    shared = project.root / "faelles"
    shared.mkdir()
    (shared / "om-igen.md").write_text("# Om sitet, igen\n", encoding="utf-8")
    (project.root / "docs" / "faelles").symlink_to(shared, target_is_directory=True)
    (project.root / "docs" / "ogsaa-om.md").symlink_to(project.root / "docs" / "om.md")
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    assert "Om sitet, igen" in (project.site / "faelles" / "om-igen" / "index.html").read_text(encoding="utf-8")

    (shared / "videre.md").symlink_to(outside / "side.md")  # reached through the inside link
    result = project.build()
    assert result.returncode != 0
    assert f"  docs/faelles/videre.md: {LINK}" in result.stderr
    assert SECRET not in _site_text(project) + result.stderr


def test_link_loops_end_and_the_folder_itself_counts(tmp_path):
    root = tmp_path / "projekt"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "rundt").symlink_to(root / "docs", target_is_directory=True)
    assert links_leading_outside(root, [root / "docs"]) is None
    (root / "agreements").symlink_to(tmp_path, target_is_directory=True)  # the folder is the link
    (root / "docs" / "brudt.md").symlink_to(tmp_path / "findes-ikke")  # leads nowhere, but out
    problem = links_leading_outside(root, [root / "docs", root / "agreements", root / "mangler"])
    assert [str(p) for p in problem.problems] == [f"agreements: {LINK}", f"docs/brudt.md: {LINK}"]


def test_a_folder_configured_outside_the_project_is_named_as_such(tmp_path):
    (tmp_path / "andet").mkdir()
    (tmp_path / "projekt").mkdir()
    problem = links_leading_outside(tmp_path / "projekt", [tmp_path / "projekt" / ".." / "andet"])
    assert [p.file for p in problem.problems] == ["../andet"]
    assert "mappen ligger uden for projektmappen" in problem.problems[0].message
    assert os.path.isdir(tmp_path / "andet")
