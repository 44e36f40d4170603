"""The writing guide (generator/render/guide.py): complete, and placed where the real rendering puts things."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import REPO

from generator.base import sanitize
from generator.corpus import Agreement, PlanEntry, Version, load_corpus
from generator.model import outline
from generator.model.delaftale import GENERATIONS
from generator.model.fields import TEKST, TIDSPUNKT, TYPE_NAMES
from generator.model.indicators import Maalinger
from generator.model.plan import Ordliste, Plan
from generator.render import guide, guidefields
from generator.render.html import convert
from generator.render.renderer import Renderer


@pytest.fixture(scope="module")
def bundled():
    return load_corpus(REPO / "agreements", root=REPO)


@pytest.fixture(scope="module")
def text(bundled):
    return guide.writing_guide(REPO / "templates", bundled)


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    level = heading.split(" ")[0]
    following = re.search(rf"^{level} ", text[start + len(heading) :], re.M)
    return text[start : start + len(heading) + following.start()] if following else text[start:]


@pytest.mark.parametrize("skabelon", list(GENERATIONS))
def test_every_field_of_every_generation_is_described(text, skabelon):
    section = _section(text, f"### `{skabelon}`")
    paths = [path for path, _, _ in guidefields.field_paths(GENERATIONS[skabelon])]
    assert len(paths) > 30
    for path in paths:
        assert f"- **`{path}`**" in section, path


@pytest.mark.parametrize(
    "model, heading", [(Plan, "## plan.yaml"), (Ordliste, "## indsatsomraader.yaml"), (Maalinger, "## maalinger.yaml")]
)
def test_every_field_of_the_other_files_is_described(text, model, heading):
    section = _section(text, heading)
    for path, info, _ in guidefields.field_paths(model):
        assert f"- **`{path}`** — {info.title}" in section, path


def test_the_2013_role_section_is_placed_under_the_activity(text):
    section = _section(text, "### `helhedsplan-2013`")
    line = next(l for l in section.splitlines() if l.startswith("- **`aktiviteter[].roller[].opgaver`**"))
    assert "Aktiviteter › ‹Navn› › Ansvars- og rollefordeling" in line
    assert "skal udfyldes" not in line


def test_a_changed_heading_in_the_outline_changes_the_guide(monkeypatch):
    """Headings are data in generator/model/outline.py, which the templates walk: the guide reads them
    off the rendered page, so a changed heading there is what the guide says."""
    renamed = tuple(
        dataclasses.replace(s, heading="Områdets udfordringer") if s.key == "problemkompleks" else s
        for s in outline.OUTLINES["helhedsplan-2013"]
    )
    monkeypatch.setitem(outline.OUTLINES, "helhedsplan-2013", renamed)
    changed = _section(guide.writing_guide(REPO / "templates"), "### `helhedsplan-2013`")
    line = next(l for l in changed.splitlines() if l.startswith("- **`problemkompleks`**"))
    assert "› Områdets udfordringer" in line and "Problemkompleks" not in line.split("Vises:")[1]
    assert "- Områdets udfordringer: `problemkompleks`" in changed


def test_the_outline_follows_a_rendered_bundled_page(text, bundled):
    """The fixed headings of the guide's outline of a generation are the headings of a real page
    of that generation, in the same order."""
    renderer = Renderer(REPO / "templates")
    for skabelon, url in [
        ("lbf-2019", "brondby-strand/sammenhaengskraft-og-medborgerskab/"),
        ("lbf-2017", "partnerskabet/tryghed-og-trivsel/"),
        ("helhedsplan-2013", "rum-for-liv/boern-unge-og-familier/"),
    ]:
        agreement = next(a for a in bundled.agreements if a.url == url)
        html = convert(renderer.render_agreement(agreement).body).html
        real = [
            re.sub(r"<[^>]+>", "", h).replace("¶", "").strip()
            for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html, re.S)
        ]
        outline = _section(text, f"#### Sidens opbygning {{: #{skabelon}-opbygning }}")
        fixed = [m[1].split(": `")[0] for m in re.finditer(r"^\s*- (.+)$", outline, re.M) if "‹" not in m[1]]
        fixed = [f.split(":")[0] if f.endswith("`") else f for f in fixed]
        assert len(fixed) >= 3, skabelon
        # A heading whose field the page leaves out is missing from it (Brøndby has no
        # 'sammenhaeng_fysisk', no activity 'maalemetode'); every other one is there, in order.
        common = [heading for heading in fixed if heading in real]
        assert len(common) >= 4, (skabelon, fixed, real)
        found, position = 0, -1
        for heading in common:  # each in the page, after the one before (headings repeat per activity)
            later = next((i for i, h in enumerate(real) if h == heading and i > position), None)
            if later is not None:
                found, position = found + 1, later
        assert found == len(common), (skabelon, common, real)


def test_what_markdown_survives_is_what_the_sanitiser_allows():
    support = {name: survives for name, _, survives in guide.markdown_support()}
    assert support["Billede"] is ("img" in sanitize.TAGS)
    assert support["Tabel"] is ("table" in sanitize.TAGS)
    assert support["Linjeskift i et afsnit"] is ("br" in sanitize.TAGS)
    assert support["HTML-script"] is False
    assert support["Fed og kursiv"] and support["Punktliste"] and support["Link"]


def test_the_guide_says_what_the_period_rules_are(text):
    model = next(iter(load_corpus(REPO / "agreements", root=REPO).agreements)).current.model
    entry = PlanEntry(Plan(id="p", navn="P", kommune="K"), Path("plan.yaml"))
    on_last_day = Agreement(entry, [Version(model, Path("v.yaml"))], model.gyldig_til).status
    after = Agreement(entry, [Version(model, Path("v.yaml"))], model.gyldig_til + timedelta(days=1)).status
    assert (on_last_day, after) == ("gældende", "udløbet")
    assert "`gyldig_til` er den sidste dag, versionen gælder: dagen regnes med" in text


def test_examples_come_from_the_bundled_agreements(text):
    assert "varianter:" in text
    examples = _section(text, "### Eksempler fra sitets aftaler")
    assert "Fra `" in examples and "part:" in examples and "opgaver:" in examples
    assert "kontaktpersoner" not in examples.split("\n", 3)[3]  # personal data is left out of the examples


def test_the_built_site_has_the_guide_in_its_navigation(tmp_path):
    from conftest import make_project

    project = make_project(tmp_path / "projekt")
    result = project.build_here()
    assert result.returncode == 0, result.stderr
    page = project.page("skrivevejledning")
    assert "<h1" in page and "Skrivevejledning" in page and "Sidens opbygning" in page
    assert 'href="skrivevejledning/"' in project.page("")


def test_no_marker_leaks_and_alternatives_are_placed(text):
    assert not re.search(r"ZQ[A-Z]{4}QZ", text)  # every marker read back as its field's title
    assert "None" not in text  # no heading left empty (a free section keeps its own heading)
    line = next(l for l in text.splitlines() if l.startswith("- **`disposition[].tekst`**"))
    assert "Vises: Delaftalens side › ‹Overskrift›" in line
    section = _section(text, "## maalinger.yaml")
    line = next(l for l in section.splitlines() if l.startswith("- **`indikatorer[].maalinger[].tekst`**"))
    assert "Vises: Delaftalens side › Delmål og indikatorer for indsatsområdet" in line  # shown where no 'vaerdi' is
    role = next(
        l for l in _section(text, "### `lbf-2019`").splitlines() if l.startswith("- **`aktiviteter[].roller[].navn`**")
    )
    assert "Ansvars- og rollefordeling › ‹Navn› (overskriften)" in role  # shown where no 'betegnelse' is


def test_field_types_are_named_as_the_model_declares_them(text):
    """A field type's Danish name and its sentence under "Felttyper" are declared once, on the
    type (generator.model.fields.TypeName): the guide's field lines and prose use them."""
    types = _section(text, "## Felttyper")
    for declared in TYPE_NAMES:
        if declared.prose:
            assert f"- {declared.prose}\n" in types
    kinds = {
        kind.kind for cls in (*GENERATIONS.values(), Plan, Maalinger) for _, _, kind in guidefields.field_paths(cls)
    }
    assert {"tekst", "navn", "id", "dato", "aarstal", "tal", "tidspunkt", "valg", "liste"} <= kinds
    assert f"· {TEKST.name}" in text and f"· {TIDSPUNKT.name}" in text
