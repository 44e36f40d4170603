"""Every kind of author error gives a located Danish message; all of them in one run."""

from __future__ import annotations

import pytest

from generator.base.problems import DelaftaleError
from generator.corpus import load_corpus

AGREEMENT = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"
PLAN = "solbakken/plan.yaml"


def problems(project) -> list[str]:
    with pytest.raises(DelaftaleError) as info:
        load_corpus(project.agreements, root=project.root)
    return [str(p) for p in info.value.problems]


def line_of(project, relative: str, needle: str) -> int:
    lines = (project.agreements / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_fixture_is_valid(project):
    corpus = load_corpus(project.agreements, root=project.root)
    assert [p.plan.id for p in corpus.plans] == ["solbakken"]
    assert [a.id for a in corpus.agreements] == ["tryghed-og-trivsel"]


#: one edit, one located message: (file, text replaced, replacement, line of the message (a number,
#: or a text on it), the message after "agreements/<file>:<line>: ")
ONE_PROBLEM = {
    "year_that_is_not_a_year": (
        AGREEMENT,
        "baseline_aar: 2022",
        "baseline_aar: 2O22",
        "baseline_aar: 2O22",
        "delmaal[0].indikatorer[0].baseline_aar: '2O22' er ikke et årstal — skriv fx 2018",
    ),
    "unknown_key_suggests_the_right_one": (
        AGREEMENT,
        "        datakilde: Egen registrering",
        "        datakidle: Egen registrering",
        "datakidle",
        "delmaal[0].indikatorer[1].datakidle: ukendt felt 'datakidle' — mente du 'datakilde'?",
    ),
    "impossible_date": (
        AGREEMENT,
        "gyldig_til: 2027-12-31",
        "gyldig_til: 2027-02-30",
        7,
        "gyldig_til: '2027-02-30' er ikke en dato, der findes — tjek dag og måned (ÅÅÅÅ-MM-DD)",
    ),
    "date_written_the_danish_way": (
        AGREEMENT,
        "gyldig_fra: 2024-01-01",
        "gyldig_fra: 1. januar 2024",
        6,
        "gyldig_fra: '1. januar 2024' er ikke en dato på formen ÅÅÅÅ-MM-DD — skriv fx 2021-06-01 for 1. juni 2021",
    ),
    "period_ending_before_it_starts": (
        AGREEMENT,
        "gyldig_til: 2027-12-31",
        "gyldig_til: 2023-12-31",
        7,
        "gyldig_til: gyldig_til (2023-12-31) ligger før gyldig_fra (2024-01-01) — byt om på datoerne",
    ),
    "plan_period_ending_before_it_starts": (
        PLAN,
        "  til: 2027-12-31",
        "  til: 2020-12-31",
        "til: 2020-12-31",
        "periode.til: perioden slutter (2020-12-31) før den starter (2024-01-01) — byt om på datoerne",
    ),
    "yaml_syntax_error_is_located_and_danish": (
        AGREEMENT,
        "navn: Tryghedsvandringer",
        "navn: Tryghed: vandringer",
        "Tryghed: vandringer",
        "YAML-syntaksfejl: et kolon (:) står et sted, hvor YAML ikke venter det — "
        "sæt teksten i anførselstegn eller skriv den som en tekstblok med |",
    ),
    "duplicate_key": (
        AGREEMENT,
        "indsatsomraade: Tryghed og trivsel",
        "indsatsomraade: Tryghed og trivsel\nindsatsomraade: Tryghed",
        6,
        "feltet 'indsatsomraade' står to gange i samme afsnit — slet det ene",
    ),
    "missing_field": (
        AGREEMENT,
        "revision: |\n  Aftalen kan revideres af styregruppen og godkendes af bestyrelsen.\n",
        "",
        2,
        "revision: feltet 'revision' mangler — tilføj 'revision: …'",
    ),
    "unknown_template_generation": (
        AGREEMENT,
        "skabelon: lbf-2019",
        "skabelon: lbf-2099",
        4,
        "skabelon: ukendt skabelon 'lbf-2099' — vælg en af: lbf-2019, lbf-2017, helhedsplan-2013",
    ),
    "invalid_id": (
        AGREEMENT,
        "- id: tryghedsvandringer",
        "- id: Tryghedsvandringer i Søbakken",
        "Tryghedsvandringer i Søbakken",
        "aktiviteter[0].id: 'Tryghedsvandringer i Søbakken' er ikke et gyldigt id — "
        "brug kun små bogstaver a-z, tal og bindestreger, fx tryghedsvandringer-i-soebakken",
    ),
    "a_misspelled_key_is_one_problem": (
        AGREEMENT,
        "    formaal: At finde",
        "    formaalx: At finde",
        "formaalx:",
        "aktiviteter[0].formaalx: ukendt felt 'formaalx' — mente du 'formaal'?",
    ),
}


@pytest.mark.parametrize(("relative", "old", "new", "line", "message"), ONE_PROBLEM.values(), ids=ONE_PROBLEM)
def test_one_error_gives_one_located_danish_message(project, relative, old, new, line, message):
    project.edit(relative, old, new)
    if isinstance(line, str):
        line = line_of(project, relative, line)
    assert problems(project) == [f"agreements/{relative}:{line}: {message}"]


def test_wrong_type(project):
    project.edit(
        AGREEMENT, "formaal: At finde og fjerne utrygge steder.", "formaal:\n      - At finde\n      - At fjerne"
    )
    line = line_of(project, AGREEMENT, "formaal:")
    [message] = problems(project)
    assert message.startswith(f"agreements/{AGREEMENT}:{line}: aktiviteter[0].formaal: skal være en tekst")


def test_unknown_party_id(project):
    project.edit(AGREEMENT, "- part: politiet", "- part: politi")
    line = line_of(project, AGREEMENT, "- part: politi")
    [message] = problems(project)
    assert message.startswith(
        f"agreements/{AGREEMENT}:{line}: aktiviteter[0].roller[1].part: "
        "parten 'politi' findes ikke — mente du 'politiet'?"
    )
    assert "skriv 'navn:'" in message


def test_duplicate_ids(project):
    project.edit(PLAN, "  - id: politiet", "  - id: sekretariatet")
    second = [
        i
        for i, text in enumerate((project.agreements / PLAN).read_text().splitlines(), 1)
        if "- id: sekretariatet" in text
    ][1]
    found = problems(project)
    assert (
        f"agreements/{PLAN}:{second}: parter[2].id: id 'sekretariatet' er allerede brugt af parter[0] — giv parten sit eget id"
        in found
    )
    # the agreement that used the renamed party is told so too, in the same run
    assert any("parten 'politiet' findes ikke" in f for f in found)


def test_duplicate_activity_ids(project):
    text = (project.agreements / AGREEMENT).read_text(encoding="utf-8")
    activity = text[text.index("  - id: tryghedsvandringer") :]
    project.write(AGREEMENT, text + activity)
    second = [
        i
        for i, line in enumerate((project.agreements / AGREEMENT).read_text().splitlines(), 1)
        if "- id: tryghedsvandringer" in line
    ][1]
    assert problems(project) == [
        f"agreements/{AGREEMENT}:{second}: aktiviteter[1].id: id 'tryghedsvandringer' er allerede brugt af "
        "aktiviteter[0] — giv aktiviteten sit eget id"
    ]


def test_a_copy_of_a_plan_in_another_folder_is_one_naming_error(project):
    project.write("kopi/plan.yaml", (project.agreements / PLAN).read_text(encoding="utf-8"))
    assert problems(project) == [
        "agreements/kopi/plan.yaml:2: id: planen har id 'solbakken', men ligger i mappen 'kopi' — omdøb mappen til "
        "'solbakken', eller ret id til 'kopi'"
    ]


def test_unknown_footnote(project):
    project.edit(AGREEMENT, "fodnoter: [vive]", "fodnoter: [viv]")
    [message] = problems(project)
    assert "delmaal[0].indikatorer[0].fodnoter[0]: fodnoten 'viv' findes ikke — mente du 'vive'?" in message


def test_agreement_naming_a_plan_that_does_not_exist(project):
    project.write(
        "andet/tryghed-og-trivsel/2024-01-01.yaml",
        (project.agreements / AGREEMENT).read_text(encoding="utf-8").replace("plan: solbakken", "plan: solbaken"),
    )
    found = problems(project)
    assert found == [
        "agreements/andet/tryghed-og-trivsel/2024-01-01.yaml:3: plan: planen 'solbaken' findes ikke — mente du 'solbakken'?"
    ]


def test_every_problem_in_every_file_in_one_run(project):
    project.edit(AGREEMENT, "baseline_aar: 2022", "baseline_aar: 2O22")
    project.edit(AGREEMENT, "- part: politiet", "- part: politi")  # a reference error in the same file
    project.edit(AGREEMENT, "gyldig_til: 2027-12-31", "gyldig_til: 2027-13-01")
    project.edit(PLAN, "type: politi", "type: politistation")
    project.write("solbakken/ødelagt/2024-01-01.yaml", "id: x\n  plan: : y\n")
    found = problems(project)
    assert len(found) == 5, found
    assert {f.split(":")[0] for f in found} == {
        f"agreements/{AGREEMENT}",
        f"agreements/{PLAN}",
        "agreements/solbakken/ødelagt/2024-01-01.yaml",
    }
    assert any(
        "'politistation' er ikke en gyldig værdi — vælg en af: 'kommune', 'boligorganisation'" in f for f in found
    )


def test_cli_reports_all_problems_without_traceback(project):
    project.edit(AGREEMENT, "baseline_aar: 2022", "baseline_aar: 2O22")
    project.edit(PLAN, "type: politi", "type: politistation")
    result = project.validate()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("2 fejl i 2 filer:")
    assert "'2O22' er ikke et årstal" in result.stderr


def test_cli_says_all_is_well(project):
    result = project.validate()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Alt i orden: 1 planer, 1 delaftaler, 1 versioner."


def test_a_party_has_one_role_per_activity(project):
    project.edit(
        AGREEMENT,
        "      - navn: Ejendomskontoret",
        "      - part: politiet\n        tekst: Igen.\n      - navn: Ejendomskontoret",
    )
    line = line_of(project, AGREEMENT, "tekst: Igen.") - 1
    assert problems(project) == [
        f"agreements/{AGREEMENT}:{line}: aktiviteter[0].roller[2]: parten har allerede en rolle her "
        "(roller[1]) — saml opgaverne under én rolle"
    ]


def test_a_total_that_does_not_add_up(tmp_path):
    import shutil

    from conftest import FIXTURE, Project

    shutil.copytree(FIXTURE.parent / "generationer" / "agreements", tmp_path / "agreements")
    project = Project(tmp_path)
    relative = "havebyen/tryghed/2018-01-01.yaml"
    project.edit(relative, "total: '5.028'", "total: '5.128'")
    project.edit("gamle-gaarden/plan.yaml", "beloeb: '72'", "beloeb: '7x2'")
    found = problems(project)
    assert (
        f"agreements/{relative}:{line_of(project, relative, 'total:')}: oekonomi.total: total er 5.128, men "
        "rækkerne giver tilsammen 5.028 — ret totalen eller et af tallene" in found
    )
    assert any(
        "dokument.lejemaal.raekker[1].beloeb: rækken 'Afd. 2 Haven': '7x2' er ikke et tal" in f for f in found
    ), found


def test_success_criteria_are_validated_like_indicators(tmp_path):
    import shutil

    from conftest import FIXTURE, Project

    shutil.copytree(FIXTURE.parent / "generationer" / "agreements", tmp_path / "agreements")
    project = Project(tmp_path)
    relative = "havebyen/tryghed/2018-01-01.yaml"
    project.edit(relative, "    datakilde: Tryghedsundersøgelsen", "    datakiilde: Tryghedsundersøgelsen")
    assert problems(project) == [
        f"agreements/{relative}:{line_of(project, relative, 'datakiilde')}: succeskriterier[0].datakiilde: "
        "ukendt felt 'datakiilde' — mente du 'datakilde'?"
    ]


def test_cross_references_to_targets_that_exist_nowhere(project):
    project.write(
        "indsatsomraader.yaml",
        "indsatsomraader:\n  - id: tryghed-og-trivsel\n    navn: Tryghed og trivsel\n"
        "  - id: uddannelse-og-livschancer\n    navn: Uddannelse og livschancer\n",
    )
    project.edit(
        AGREEMENT,
        "formaal: At finde og fjerne utrygge steder.",
        "formaal: 'Se [vandringer](aftale:tryghed-og-trivsel#vandringer), [mestring](aftale:uddannelse-og-livschancer#x), "
        "[noget](aftale:tryghed-i-byen) og [andet](aftale:solbakke/tryghed-og-trivsel)'",
    )
    line = line_of(project, AGREEMENT, "aftale:tryghed-og-trivsel#vandringer")
    found = problems(project)
    assert found == [
        f"agreements/{AGREEMENT}:{line}: aktiviteter[0].formaal: henvisningen 'aftale:tryghed-og-trivsel#vandringer': "
        "aktiviteten 'vandringer' findes ikke — mente du 'tryghedsvandringer'?",
        f"agreements/{AGREEMENT}:{line}: aktiviteter[0].formaal: henvisningen 'aftale:tryghed-i-byen': der er ingen "
        "delaftale 'tryghed-i-byen' i planen 'solbakken', og det er ikke et indsatsområde i indsatsomraader.yaml — "
        "mente du 'tryghed-og-trivsel'?",
        f"agreements/{AGREEMENT}:{line}: aktiviteter[0].formaal: henvisningen 'aftale:solbakke/tryghed-og-trivsel': "
        "planen 'solbakke' findes ikke — mente du 'solbakken'?",
    ]  # the reference to a known focus area without a published delaftale is fine


def test_a_free_name_that_matches_a_known_party_is_flagged(project):
    project.edit(AGREEMENT, "      - 2 beboerdemokrater", "      - eksempel politi")
    corpus = load_corpus(project.agreements, root=project.root)  # a note, not an error
    line = line_of(project, AGREEMENT, "- eksempel politi")
    assert [str(n) for n in corpus.notes] == [
        f"agreements/{AGREEMENT}:{line}: parter[0].deltagere[2].navn: 'eksempel politi' er en kendt part i planen "
        "(Eksempel Politi) — skriv 'part: politiet' i stedet for 'navn:', så opgaverne kommer med på partens side"
    ]
    result = project.validate()
    assert result.returncode == 0 and result.stdout.startswith(f"Bemærk: agreements/{AGREEMENT}:{line}:")
    assert project.build_here().returncode == 0  # --strict still builds


def test_notes_kept_between_loads_follow_a_change_of_the_plan_alone(project):
    """`mkdocs serve` keeps unchanged files and what was found in them (checks.per_file); a
    note that depends on the plan's parties is found again when only plan.yaml changes."""
    import os

    project.edit(AGREEMENT, "      - 2 beboerdemokrater", "      - eksempel politi")
    cache: dict = {}
    first = load_corpus(project.agreements, root=project.root, cache=cache)
    assert ["'eksempel politi' er en kendt part" in str(n) for n in first.notes] == [True]
    assert [str(n) for n in load_corpus(project.agreements, root=project.root, cache=cache).notes] == [
        str(n) for n in first.notes
    ]
    plan = project.agreements / "solbakken" / "plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("navn: Eksempel Politi", "navn: Østjyllands Politi"), encoding="utf-8"
    )
    os.utime(plan, ns=(plan.stat().st_atime_ns, plan.stat().st_mtime_ns + 10**9))  # a later save
    assert load_corpus(project.agreements, root=project.root, cache=cache).notes == []
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("navn: Østjyllands Politi", "navn: Eksempel Politi"), encoding="utf-8"
    )
    os.utime(plan, ns=(plan.stat().st_atime_ns, plan.stat().st_mtime_ns + 2 * 10**9))
    assert [str(n) for n in load_corpus(project.agreements, root=project.root, cache=cache).notes] == [
        str(n) for n in first.notes
    ]


def test_a_cache_kept_between_loads_rereads_only_changed_files(project):
    from datetime import date

    from generator.corpus import load_corpus

    cache: dict = {}
    first = load_corpus(project.root / "agreements", reference_date=date(2025, 1, 1), cache=cache)
    plan_file = project.root / "agreements" / "solbakken" / "plan.yaml"
    agreement_file = project.root / "agreements" / AGREEMENT
    kept_plan, kept_agreement = cache[plan_file][1], cache[agreement_file][1]
    project.edit(AGREEMENT, "Større oplevet tryghed", "Markant større oplevet tryghed")
    second = load_corpus(project.root / "agreements", reference_date=date(2025, 1, 1), cache=cache)
    assert cache[plan_file][1] is kept_plan  # not read again
    assert cache[agreement_file][1] is not kept_agreement  # saved since: read again
    goals = [g.tekst for g in second.agreements[0].current.model.delmaal]
    assert "Markant større oplevet tryghed" in goals and goals != [
        g.tekst for g in first.agreements[0].current.model.delmaal
    ]
    # a file with errors is never kept: the next load reports them again
    project.edit(AGREEMENT, "gyldig_fra: 2024-01-01", "gyldig_fra: 2024-13-01")
    for _ in range(2):
        with pytest.raises(DelaftaleError):
            load_corpus(project.root / "agreements", reference_date=date(2025, 1, 1), cache=cache)


# --------------------------------------------------------------------------- messages without noise


def test_a_reference_to_an_agreement_with_errors_says_so_on_the_line_of_the_link(project):
    text = (project.agreements / AGREEMENT).read_text(encoding="utf-8")
    other = "solbakken/andet-omraade/2024-01-01.yaml"
    project.write(
        other,
        text.replace("id: tryghed-og-trivsel", "id: andet-omraade").replace(
            "indhold: |\n",
            "indhold: |\n      Første linje.\n      Se også [vandringerne](aftale:tryghed-og-trivsel#tryghedsvandringer).\n",
            1,
        ),
    )
    project.edit(AGREEMENT, "baseline_aar: 2022", "baseline_aar: 2O22")
    line = line_of(project, other, "(aftale:tryghed-og-trivsel")
    found = problems(project)
    assert len(found) == 2, found
    assert (
        f"agreements/{other}:{line}: aktiviteter[0].indhold: henvisningen 'aftale:tryghed-og-trivsel#tryghedsvandringer': "
        "delaftalen 'tryghed-og-trivsel' har selv fejl, se ovenfor"
    ) in found
    assert "findes ikke" not in " ".join(found)


def test_an_unclosed_quote_is_reported_where_it_opens(project):
    project.edit(AGREEMENT, "indsatsomraade: Tryghed og trivsel", 'indsatsomraade: "Tryghed og trivsel')
    line = line_of(project, AGREEMENT, 'indsatsomraade: "')
    [found] = problems(project)
    assert found.startswith(
        f'agreements/{AGREEMENT}:{line}: YAML-syntaksfejl: anførselstegnet (") i starten af værdien '
        'lukkes ikke på linjen — tilføj det afsluttende " sidst på linjen (YAML læste videre og gav op '
        "på linje "
    )
