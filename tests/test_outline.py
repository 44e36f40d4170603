"""A document's outline: the standard outlines as data, a document's own order and headings
(``disposition``), free sections, and the checks that tell an author what is wrong."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, make_project

from generator.base.problems import DelaftaleError
from generator.corpus import load_corpus
from generator.model import outline
from generator.model.delaftale import GENERATIONS
from generator.model.fields import field_kind
from generator.model.plan import PlanDokument
from generator.render.renderer import Renderer

DISPOSITION = Path(__file__).parent / "fixtures" / "disposition" / "agreements"


@pytest.mark.parametrize("skabelon", sorted(GENERATIONS))
def test_every_field_of_a_generation_has_its_place_in_the_outline(skabelon):
    sections = outline.standard_outline(skabelon)
    fields = [name for s in sections for name in s.fields]
    model = GENERATIONS[skabelon]
    assert set(fields) <= set(model.model_fields)
    placed = set(fields) | set(outline.outside_fields(skabelon))
    assert set(model.model_fields) - placed == set()
    assert len({s.key for s in sections}) == len(sections) and len({s.anchor for s in sections}) == len(sections)


def test_the_plan_document_outline_places_every_field():
    sections = outline.plan_document_outline()
    fields = {name for s in sections for name in s.fields}
    assert fields | set(outline.PLAN_DOCUMENT_OUTSIDE) == set(PlanDokument.model_fields)
    assert [s.key for s in sections][:2] == ["resume", "forord"]


def test_the_outline_is_plain_data():
    [parter] = [s for s in outline.standard_outline("lbf-2019") if s.key == "parter"]
    assert (parter.heading, parter.anchor, parter.fields) == ("Delaftalens parter", "parter", ("parter",))
    assert outline.standard_outline("helhedsplan-2013")[-1].key == "faktaboks"


@pytest.mark.parametrize("skabelon", sorted(GENERATIONS))
def test_every_activity_field_is_one_part_of_the_activity(skabelon):
    activity = GENERATIONS[skabelon].model_fields["aktiviteter"].annotation.__args__[0]
    parts = outline.activity_parts(skabelon)
    fields = [name for part in parts for name in part.fields]
    assert len(fields) == len(set(fields))
    assert set(fields) | {"id", "listetekst"} == set(activity.model_fields)
    required = {name for name, info in activity.model_fields.items() if info.is_required()}
    assert required - {"id"} <= {name for part in parts if not part.optional for name in part.fields}


@pytest.mark.parametrize(
    "skabelon, files",
    [
        ("lbf-2019", ["komponenter/aktivitet.md.j2"]),
        ("lbf-2017", ["delaftale/lbf-2017.md.j2", "komponenter/aktivitet.md.j2"]),
        ("helhedsplan-2013", ["delaftale/helhedsplan-2013.md.j2", "komponenter/aktivitet.md.j2"]),
    ],
)
def test_the_templates_write_the_activity_headings_of_the_outline(skabelon, files):
    """The headings are data for those who document them (the writing guide); the templates
    write them: a changed heading must change in both."""
    text = "".join((REPO / "templates" / f).read_text(encoding="utf-8") for f in files)
    for part in outline.activity_parts(skabelon):
        if part.heading:
            assert part.heading in text, (skabelon, part.heading)
        if part.anchor:
            assert f'"{part.anchor}"' in text or f"--{part.anchor} }}" in text, (skabelon, part.anchor)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    corpus = load_corpus(DISPOSITION, reference_date=date(2025, 1, 1))
    return {uri: page.body for uri, page in Renderer(REPO / "templates").render_corpus(corpus).items()}


def _headings(markdown: str) -> list[str]:
    return re.findall(r"^(#{2,3} .*)$", markdown, re.M)


def test_a_plan_document_in_its_own_order_with_its_own_headings_and_a_free_section(pages):
    assert _headings(pages["lindegaarden/index.md"]) == [
        "## 1. Indledning {: #forord }",
        "## 2. Resumé {: #resume }",
        "## 3. Vision {: #vision }",
        "## 4. Hovedformål {: #hovedformaal }",
        "### Hovedformål 1 {: #hovedformaal-1 }",
        "## 5. Indsatsområder {: #delaftaler }",
        "## 6. Organisering {: #organisering }",
        "### [Styregruppen](../parter/lindegaarden/lindegaarden-bolig/) {: #organisering--lindegaarden-bolig }",
        "### [Sekretariatet](../parter/lindegaarden/sekretariatet/) {: #organisering--sekretariatet }",
        "## 7. Sekretariatets lokaler {: #sekretariatets-lokaler }",
        "### 7.1 Åbningstider {: #aabningstider }",
        "### 7.2 Årshjul {: #aarshjul }",
        "## 8. Evaluering {: #evaluering }",
        "## 9. Budget {: #budget }",
        "## Parter {: #parter }",
    ]
    page = pages["lindegaarden/index.md"]
    assert (
        "Sekretariatets aktiviteter foregår i beboerhuset." in page
        and "**Målemetode:** Optælling hvert halve år." in page
    )
    assert "<caption>Succeskriterier for Hovedformål 1</caption>" in page


def test_a_focus_areas_fact_box_placed_after_its_purpose(pages):
    page = pages["lindegaarden/boern-og-unge/index.md"]
    assert (
        page.index("## 5.1.2 Formål {: #formaal }")
        < page.index("Fakta om aktiviteterne i Børn og unge")
        < page.index("## 5.1.3 Aktiviteter {: #aktiviteter }")
    )
    assert '<th scope="row" role="rowheader">Målemetode:</th><td role="cell">Optælling hvert halve år.</td>' in page


def test_activities_carry_problem_target_groups_criteria_and_method_in_every_generation(pages):
    page_2013 = pages["lindegaarden/boern-og-unge/index.md"]
    assert "#### Problemstilling {: #lektiecafe--problemstilling }" in page_2013
    assert (
        '<th scope="row" role="rowheader">Målgruppe(r):</th><td role="cell">30 skolebørn fra 4. til 9. klasse</td>'
        in page_2013
    )
    assert '<th scope="row" role="rowheader">Succeskriterier:</th>' in page_2013  # not "(2013)" in a 2014 plan
    page_2019 = pages["egebakken/tryghed/index.md"]
    order = [
        "#### Problemstilling {: #tryghedsvandringer--problemstilling }",
        "#### Formål",
        "#### Målgruppe(r)",
        "#### Indhold og praksis",
        "#### Succeskriterier {: #tryghedsvandringer--succeskriterier }",
        "#### Målemetode {: #tryghedsvandringer--maalemetode }",
        "#### Ansvars- og rollefordeling",
    ]
    assert [page_2019.index(h) for h in order] == sorted(page_2019.index(h) for h in order)
    assert "<caption>Succeskriterier for Tryghedsvandringer</caption>" in page_2019


def test_a_2019_delaftale_in_its_own_order_keeps_its_anchors(pages):
    headings = [h for h in _headings(pages["egebakken/tryghed/index.md"]) if h.startswith("## ")]
    assert headings == [
        "## 1. Den boligsociale indsats {: #indsats }",
        "## 2. Parter {: #parter }",
        "## 3. Periode {: #periode }",
        "## 4. Delmål og indikatorer {: #delmaal-og-indikatorer }",
        "## 5. Aktiviteter {: #aktiviteter }",
        "## 6. Aktivitetsbeskrivelser {: #aktivitetsbeskrivelser }",
        "## 7. Medarbejderressourcer {: #medarbejderressourcer }",
        "## 8. Sammenhæng med den kommunale indsats {: #sammenhaeng }",
        "## 9. Tryghedsvandringer i vinterhalvåret {: #vinterhalvaaret }",
        "## 10. Revision {: #revision }",
    ]
    assert (
        "Der skal opsættes delmål for nærværende indsatsområde" in pages["egebakken/tryghed/index.md"]
    )  # LBF's text stays


def _problems(project) -> list[str]:
    with pytest.raises(DelaftaleError) as info:
        load_corpus(project.agreements, root=project.root)
    return [str(p) for p in info.value.problems]


def _line(project, relative: str, needle: str, after: int = 0) -> int:
    lines = (project.agreements / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line and i > after)


AGREEMENT = "egebakken/tryghed/2024-01-01.yaml"
PLAN = "lindegaarden/plan.yaml"


def test_every_outline_problem_located_and_in_danish_in_one_run(tmp_path):
    project = make_project(tmp_path / "projekt", DISPOSITION)
    project.edit(AGREEMENT, "  - afsnit: periode\n", "  - afsnit: perioede\n")
    project.edit(AGREEMENT, "  - afsnit: revision\n    overskrift: 10. Revision\n", "  - afsnit: parter\n")
    project.edit(AGREEMENT, "  - afsnit: medarbejderressourcer\n    overskrift: 7. Medarbejderressourcer\n", "")
    project.edit(PLAN, "    - afsnit: hovedformaal\n", "    - afsnit: hovedformål\n")
    shown = f"agreements/{AGREEMENT}"
    assert sorted(_problems(project)) == sorted(
        [
            f"{shown}:{_line(project, AGREEMENT, 'perioede')}: disposition[2].afsnit: afsnittet 'perioede' findes ikke — "
            "mente du 'periode'? (standardafsnittene er: indsats, periode, parter, delmaal, aktiviteter, "
            "medarbejderressourcer, sammenhaeng, revision, aktivitetsbeskrivelser)",
            f"{shown}:{_line(project, AGREEMENT, '- afsnit: parter', _line(project, AGREEMENT, 'vinterhalvaaret'))}: "
            "disposition[8].afsnit: afsnittet 'parter' står allerede i dispositionen (disposition[1]) — nævn hvert afsnit én gang",
            f"{shown}:{_line(project, AGREEMENT, 'medarbejderressourcer: 10 timer')}: medarbejderressourcer: feltet "
            "'medarbejderressourcer' er udfyldt, men dets afsnit 'medarbejderressourcer' står ikke i dispositionen — "
            "tilføj '- afsnit: medarbejderressourcer' dér, hvor det skal stå, eller slet feltet",
            f"{shown}:{_line(project, AGREEMENT, 'revision: Styregruppen')}: revision: feltet 'revision' er udfyldt, men dets "
            "afsnit 'revision' står ikke i dispositionen — tilføj '- afsnit: revision' dér, hvor det skal stå, eller slet feltet",
            f"agreements/{PLAN}:{_line(project, PLAN, 'hovedformål')}: dokument.disposition[3].afsnit: afsnittet "
            "'hovedformål' findes ikke — mente du 'hovedformaal'? (standardafsnittene er: resume, forord, baggrund, vision, "
            "hovedformaal, indsatsomraader, milepaelsplan, evaluering, organisering, ansvarsomraader, budget)",
            f"agreements/{PLAN}:{_line(project, PLAN, 'hovedformaal:')}: dokument.hovedformaal: feltet 'hovedformaal' er "
            "udfyldt, men dets afsnit 'hovedformaal' står ikke i dispositionen — tilføj '- afsnit: hovedformaal' dér, hvor det "
            "skal stå, eller slet feltet",
        ]
    )
    result = project.validate()
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert "6 fejl" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            "  - afsnit: revision\n    tekst: Egen tekst\n",
            "et standardafsnit ('afsnit: revision') viser sine egne felter — slet 'tekst', eller slet 'afsnit:' for at gøre "
            "det til et frit afsnit",
        ),
        (
            "  - overskrift: Et frit afsnit\n",
            "et frit afsnit skal have 'tekst:' eller 'underafsnit:' — skriv afsnittets tekst",
        ),
        (
            "  - tekst: Tekst uden overskrift\n",
            "angiv 'afsnit:' (et standardafsnit) eller 'overskrift:' og 'tekst:' (et frit afsnit)",
        ),
    ],
)
def test_a_disposition_entry_is_a_standard_section_or_a_free_one(tmp_path, entry, message):
    project = make_project(tmp_path / "projekt", DISPOSITION)
    project.edit(AGREEMENT, "  - afsnit: revision\n    overskrift: 10. Revision\n", "  - afsnit: revision\n" + entry)
    [problem] = _problems(project)
    assert problem.endswith(message), problem
    assert f"agreements/{AGREEMENT}:" in problem and "disposition[10]" in problem


def test_a_free_section_may_not_take_a_standard_anchor(tmp_path):
    project = make_project(tmp_path / "projekt", DISPOSITION)
    project.edit(AGREEMENT, "    id: vinterhalvaaret\n", "    id: revision\n")
    [problem] = _problems(project)
    assert "disposition[8].id: afsnittets anker '#revision' er allerede brugt på siden" in problem


def test_the_activity_list_names_each_activity_once(tmp_path):
    project = make_project(tmp_path / "projekt", DISPOSITION)
    project.edit(
        AGREEMENT,
        "disposition:\n",
        "aktivitetsliste: [tryghedsvandring, tryghedsvandringer, tryghedsvandringer]\ndisposition:\n",
    )
    problems = _problems(project)
    assert any(
        "aktivitetsliste[0]: aktiviteten 'tryghedsvandring' findes ikke — mente du 'tryghedsvandringer'?" in p
        for p in problems
    ), problems
    assert any("aktivitetsliste[2]: aktiviteten 'tryghedsvandringer' står allerede i listen" in p for p in problems)


def test_without_a_disposition_the_standard_outline_is_used():
    corpus = load_corpus(REPO / "agreements", root=REPO)
    for agreement in corpus.agreements:
        model = agreement.current.model
        keys = [p.key for p in outline.placed_sections(model)]
        standard = [s.key for s in outline.standard_outline(model.skabelon)]
        assert keys == [k for k in standard if k in keys]
        assert field_kind(type(model).model_fields["aktivitetsliste"]) is not None  # order, not the agreement's text
