"""Accepted nonsense and personal data in running text (issue 21, items 6 and 10): real YAML
files, real ``validate`` runs and real ``mkdocs build`` runs of the fixture site."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from conftest import REPO, Project, make_project, search_documents

from generator.corpus import load_corpus
from generator.publish.opendata import open_data

AGREEMENT = "solbakken/tryghed-og-trivsel/2024-01-01.yaml"
MEASUREMENTS = "solbakken/tryghed-og-trivsel/maalinger.yaml"
HUGE = "1" + "0" * 309  # 10^309: past the largest float, a chart's inf and nan
EMAIL_MASK, PHONE_MASK = "[e-mailadresse udeladt]", "[telefonnummer udeladt]"  # what the data and search show


def line_of(project: Project, relative: str, needle: str) -> int:
    lines = (project.agreements / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def refused(result) -> list[str]:
    """The problem lines of a failed validate run (no traceback, nothing on stdout)."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    return [line.strip() for line in result.stderr.splitlines() if line.startswith("  agreements/")]


def notes(result) -> list[str]:
    """The notes of a validate run that succeeded."""
    assert result.returncode == 0, result.stderr
    return [line.removeprefix("Bemærk: ") for line in result.stdout.splitlines() if line.startswith("Bemærk: ")]


def with_ids(project: Project) -> None:
    """Solbakken's first indicator gets the id its measurements name."""
    project.edit(
        AGREEMENT,
        "      - tekst: Andel der føler sig trygge i boligområdet\n",
        "      - id: tryghed\n        tekst: Andel der føler sig trygge i boligområdet\n",
    )


def measurements(*values: tuple[str, str]) -> str:
    rows = "".join(f"      - tid: {when}\n        vaerdi: {value}\n" for when, value in values)
    return f'indikatorer:\n  - indikator: tryghed\n    enhed: "%"\n    maalinger:\n{rows}'


# --------------------------------------------------------------------------- ids


def test_ids_with_a_line_break_or_an_invisible_character_are_refused_with_the_character_named(project):
    project.edit(AGREEMENT, "  - id: tryghedsvandringer\n", "  - id: |\n      tryghedsvandringer\n")
    project.edit(AGREEMENT, "  - id: vive\n", "  - id: vive\u202e\n")
    project.edit(
        AGREEMENT,
        "      - part: sekretariatet\n        opgaver:",
        "      - part: sekre\u200btariatet\n        opgaver:",
    )
    path = f"agreements/{AGREEMENT}"
    assert refused(project.validate()) == [
        f"{path}:{line_of(project, AGREEMENT, 'id: vive')}: fodnoter[0].id: id'et 'vive[U+202E]' indeholder tegnet "
        "U+202E (højre-til-venstre-tilsidesættelse), som ikke ses — et id har kun små bogstaver a-z, tal og "
        "bindestreger; slet tegnet: det ses ikke i de fleste editorer, så slet ordet omkring det og skriv det igen, "
        "eller skriv id'et på én linje uden | og anførselstegn, fx vive",
        f"{path}:{line_of(project, AGREEMENT, 'id: |')}: aktiviteter[0].id: id'et 'tryghedsvandringer' indeholder "
        "tegnet U+000A (linjeskift), som ikke ses — et id har kun små bogstaver a-z, tal og bindestreger; slet "
        "tegnet: det ses ikke i de fleste editorer, så slet ordet omkring det og skriv det igen, eller skriv id'et "
        "på én linje uden | og anførselstegn, fx tryghedsvandringer",
        f"{path}:{line_of(project, AGREEMENT, 'sekre' + chr(0x200B))}: aktiviteter[0].roller[0].part: id'et 'sekre[U+200B]tariatet' "
        "indeholder tegnet U+200B (mellemrum uden bredde), som ikke ses — et id har kun små bogstaver a-z, tal og "
        "bindestreger; slet tegnet: det ses ikke i de fleste editorer, så slet ordet omkring det og skriv det igen, "
        "eller skriv id'et på én linje uden | og anførselstegn, fx sekretariatet",
    ]


# --------------------------------------------------------------------------- numbers and dates


def test_a_measurement_or_target_of_ten_to_the_309_is_refused_at_its_line(project):
    with_ids(project)
    project.write(
        MEASUREMENTS,
        measurements(("2024", HUGE), ("2025", "64")).replace("    enhed:", f"    maal: -{HUGE}\n    enhed:"),
    )
    path = f"agreements/{MEASUREMENTS}"
    limit = (
        "et tal i en aftale kan højst være 10.000.000.000.000 (også som negativt tal) — ret tallet "
        "(er der tastet for mange cifre?)"
    )
    assert refused(project.validate()) == [
        f"{path}:3: indikatorer[0].maal: et tal med 310 cifre er for stort: {limit}",
        f"{path}:7: indikatorer[0].maalinger[0].vaerdi: et tal med 310 cifre er for stort: {limit}",
    ]


def test_a_budget_amount_past_the_limit_is_refused_and_named_by_its_row(tmp_path):
    bundled = make_project(tmp_path / "projekt", REPO / "agreements")
    relative = "partnerskabet/tryghed-og-trivsel/2018-01-01.yaml"
    bundled.edit(relative, "      beloeb: '3.100'", "      beloeb: '31.000.000.000.000'")
    assert refused(bundled.validate()) == [
        f"agreements/{relative}:{line_of(bundled, relative, '31.000.000')}: oekonomi.raekker[0].beloeb: rækken "
        "'Landsbyggefonden': tallet 31.000.000.000.000 er for stort: et tal i en aftale kan højst være "
        "10.000.000.000.000 (også som negativt tal) — ret tallet (er der tastet for mange cifre?)",
    ]


def test_a_baseline_that_starts_with_ten_to_the_309_is_refused(project):
    project.edit(AGREEMENT, "baseline: 61 % føler sig trygge", f"baseline: {HUGE} % føler sig trygge")
    [message] = refused(project.validate())
    assert message == (
        f"agreements/{AGREEMENT}:{line_of(project, AGREEMENT, 'baseline: 1000')}: "
        "delmaal[0].indikatorer[0].baseline: baseline begynder med et tal med 310 cifre, men et tal i en "
        "aftale kan højst være 10.000.000.000.000 (grafen over målingerne starter i baseline) — ret tallet"
    )


def test_measurement_dates_far_outside_the_plan_are_refused_and_those_near_it_kept(project):
    with_ids(project)  # the plan runs 2024-2027: 2014 to 2037 are within ten years of it
    project.write(
        MEASUREMENTS,
        measurements(("0001-01-01", "1"), ("2014", "2"), ("2037-12-31", "3"), ("9999-12-31", "4"), ("2013", "5")),
    )
    why = (
        "men planen løber 2024-2027: en måling ligger højst 10 år før eller efter planens periode (år 2014-2037) "
        "— ret årstallet eller datoen"
    )
    path = f"agreements/{MEASUREMENTS}"
    assert refused(project.validate()) == [
        f"{path}:5: indikatorer[0].maalinger[0].tid: målingen er fra 0001-01-01, {why}",
        f"{path}:11: indikatorer[0].maalinger[3].tid: målingen er fra 9999-12-31, {why}",
        f"{path}:13: indikatorer[0].maalinger[4].tid: målingen er fra 2013, {why}",
    ]


def test_a_refused_measurement_leaves_the_built_site_as_it_was_and_no_chart_shows_nan(project):
    with_ids(project)
    project.write(MEASUREMENTS, measurements(("2024", "64")))
    assert project.build_here().returncode == 0
    before = project.page("solbakken/tryghed-og-trivsel")
    assert 'class="indikatorgraf-svg"' in before and not re.search(r'="-?(?:nan|inf)"', before)
    project.write(MEASUREMENTS, measurements(("2024", HUGE)))
    result = project.build()
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "indikatorer[0].maalinger[0].vaerdi: et tal med 310 cifre er for stort" in result.stderr
    assert "Intet er bygget; det tidligere site er uændret." in result.stderr
    assert project.page("solbakken/tryghed-og-trivsel") == before


# --------------------------------------------------------------------------- file names


YAML = (Path(__file__).parent / "fixtures/site/agreements" / AGREEMENT).read_text(encoding="utf-8")
PLAN = (Path(__file__).parent / "fixtures/site/agreements/solbakken/plan.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("relative", "text", "message"),
    [
        (
            "solbakken/tryghed-og-trivsel/2028-01-01.YAML",
            YAML.replace("gyldig_fra: 2024-01-01", "gyldig_fra: 2028-01-01").replace(
                "gyldig_til: 2027-12-31", "gyldig_til: 2029-12-31"
            ),
            "filen ender på '.YAML', men aftalernes filer skal ende på '.yaml' (med små bogstaver), ellers læses de ikke "
            "— omdøb den til 2028-01-01.yaml",
        ),
        (
            "solbakken/tryghed-og-trivsel/2024-01-01.yml",
            YAML,
            "filen ender på '.yml', men aftalernes filer skal ende på '.yaml' (med små bogstaver), ellers læses de ikke "
            "— omdøb den til 2024-01-01.yaml (der findes allerede en 2024-01-01.yaml ved siden af: slet den af de to, der "
            "er forældet)",
        ),
        (
            "solbakken/tryghed-og-trivsel/maalinger.yml",
            measurements(("2024", "64")),
            "filen ender på '.yml', men aftalernes filer skal ende på '.yaml' (med små bogstaver), ellers læses de ikke "
            "— omdøb den til maalinger.yaml",
        ),
        (
            "lindely/plan.Yaml",
            PLAN.replace("id: solbakken", "id: lindely"),
            "filen ender på '.Yaml', men aftalernes filer skal ende på '.yaml' (med små bogstaver), ellers læses de ikke "
            "— omdøb den til plan.yaml",
        ),
        (
            "indsatsomraader.yml",
            "indsatsomraader:\n  - id: tryghed\n    navn: Tryghed og trivsel\n",
            "filen ender på '.yml', men aftalernes filer skal ende på '.yaml' (med små bogstaver), ellers læses de ikke "
            "— omdøb den til indsatsomraader.yaml",
        ),
    ],
)
def test_a_file_spelled_yml_or_upper_case_is_refused_by_name_never_ignored(project, relative, text, message):
    project.write(relative, text)
    assert refused(project.validate()) == [f"agreements/{relative}: {message}"]


# --------------------------------------------------------------------------- invisible characters


def test_a_direction_control_in_a_name_is_refused(project):
    project.edit(AGREEMENT, "    navn: Tryghedsvandringer", "    navn: Trygheds\u202evandringer")
    project.edit("solbakken/plan.yaml", "navn: Solbakken Sammen", "navn: \u2067Solbakken Sammen\u2069")
    how = "slet tegnet: det ses ikke i de fleste editorer, så slet ordet omkring det og skriv det igen"
    assert refused(project.validate()) == [
        "agreements/solbakken/plan.yaml:3: navn: navnet indeholder det usynlige tegn U+2067 (højre-til-venstre-isolering), "
        f"som ændrer den rækkefølge, teksten vises i — {how}",
        f"agreements/{AGREEMENT}:{line_of(project, AGREEMENT, 'Trygheds' + chr(0x202E))}: "
        "aktiviteter[0].navn: navnet indeholder det usynlige tegn U+202E (højre-til-venstre-tilsidesættelse), som "
        f"ændrer den rækkefølge, teksten vises i — {how}",
    ]


def test_invisible_characters_in_running_text_are_noted_with_line_and_code(project):
    project.edit(
        AGREEMENT,
        "      Beboere, politi og ejendomskontor går sammen",
        "      Beboere, politi og ejendoms\u200bkontor går sammen",
    )
    project.edit(
        AGREEMENT,
        "formaal: At finde og fjerne utrygge steder.",
        'formaal: "At finde og fjerne \\u202eutrygge\\u202c steder."',
    )  # a YAML escape writes one too
    project.edit(AGREEMENT, "    navn: Tryghedsvandringer", "    navn: Tryghedsvandringer\u2060")
    how = "slet tegnet: det ses ikke i de fleste editorer, så slet ordet omkring det og skriv det igen"
    bidi = "som ændrer den rækkefølge, teksten efter det vises i"
    width = "som får et ord til at se ud som et andet uden at være det (fx i søgningen)"
    path = f"agreements/{AGREEMENT}"
    assert notes(project.validate()) == [
        f"{path}:{line_of(project, AGREEMENT, 'navn: Tryghedsvandringer')}: aktiviteter[0].navn: teksten indeholder "
        f"det usynlige tegn U+2060 (usynlig ordbinder), {width} — {how}",
        f"{path}:{line_of(project, AGREEMENT, 'formaal:')}: aktiviteter[0].formaal: teksten indeholder det usynlige "
        f"tegn U+202C (afslutning af retningsformatering), {bidi} — {how}",
        f"{path}:{line_of(project, AGREEMENT, 'formaal:')}: aktiviteter[0].formaal: teksten indeholder det usynlige "
        f"tegn U+202E (højre-til-venstre-tilsidesættelse), {bidi} — {how}",
        f"{path}:{line_of(project, AGREEMENT, 'ejendoms')}: aktiviteter[0].indhold: teksten indeholder det usynlige "
        f"tegn U+200B (mellemrum uden bredde), {width} — {how}",
    ]


# --------------------------------------------------------------------------- contact data


CONTACT_TEXT = "Kontakt Anna på anna.privat@gmail.com eller tlf. 22 34 56 78."


def with_contact_data(project: Project) -> None:
    project.edit(AGREEMENT, "formaal: At finde og fjerne utrygge steder.", f"formaal: {CONTACT_TEXT}")
    project.edit(AGREEMENT, "          - samler op på fundene", "          - samler op på fundene (ring på 3366 3366)")
    project.edit(
        AGREEMENT,
        "            titel: SSP-konsulent",
        "            titel: SSP-konsulent\n            email: jens@eksempel.dk",
    )


def test_contact_data_in_running_text_is_noted_with_its_line_and_contact_persons_are_not(project):
    with_contact_data(project)
    path = f"agreements/{AGREEMENT}"
    tail = (
        "— siden viser den, som aftalen skriver den, men søgningen og de åbne data udelader den (medmindre "
        "mask_contact_data er slået fra i mkdocs.yml); hører den til en person, så skriv den under personens "
        "'kontaktpersoner:' (og slet den, hvis den er privat)"
    )
    formaal, duty = line_of(project, AGREEMENT, "formaal:"), line_of(project, AGREEMENT, "ring på")
    assert notes(project.validate()) == [
        f"{path}:{formaal}: aktiviteter[0].formaal: teksten indeholder e-mailadressen 'anna.privat@gmail.com' {tail}",
        f"{path}:{formaal}: aktiviteter[0].formaal: teksten indeholder telefonnummeret '22 34 56 78' {tail}",
        f"{path}:{duty}: aktiviteter[0].roller[0].opgaver[1]: teksten indeholder telefonnummeret '3366 3366' {tail}",
    ]


def _data_files(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): p.read_text(encoding="utf-8-sig")
        for p in site.rglob("*")
        if p.suffix in (".json", ".csv") and "pagefind" not in p.parts
    }


def test_the_data_and_the_search_index_mask_contact_data_that_the_page_shows(project):
    with_contact_data(project)
    assert project.build_here().returncode == 0
    page = project.page("solbakken/tryghed-og-trivsel")
    assert "anna.privat@gmail.com" in page and "22 34 56 78" in page  # the agreement as written
    data = _data_files(project.site)
    document = json.loads(data["solbakken/tryghed-og-trivsel/delaftale.json"])
    assert document["aktiviteter"][0]["formaal"] == f"Kontakt Anna på {EMAIL_MASK} eller tlf. {PHONE_MASK}."
    roles = list(csv.DictReader(io.StringIO(data["data/roller.csv"]), delimiter=";"))
    assert f"samler op på fundene (ring på {PHONE_MASK})" in [r["opgave"] for r in roles]
    activities = list(csv.DictReader(io.StringIO(data["data/aktiviteter.csv"]), delimiter=";"))
    assert activities[0]["formaal"] == document["aktiviteter"][0]["formaal"]
    indexed = json.dumps(search_documents(project.site), ensure_ascii=False)
    assert EMAIL_MASK in indexed and PHONE_MASK in indexed
    for written in ("anna.privat", "gmail.com", "22 34 56 78", "3366 3366", "jens@eksempel.dk"):
        assert written not in indexed
        assert not [name for name, text in data.items() if written in text], written


def test_masking_can_be_turned_off(project):
    with_contact_data(project)
    config = project.root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "      templates_dir: templates\n", "      templates_dir: templates\n      mask_contact_data: false\n"
        ),
        encoding="utf-8",
    )
    assert project.build_here().returncode == 0
    document = json.loads((project.site / "solbakken/tryghed-og-trivsel/delaftale.json").read_text(encoding="utf-8"))
    assert document["aktiviteter"][0]["formaal"] == CONTACT_TEXT
    assert "22 34 56 78" in json.dumps(search_documents(project.site), ensure_ascii=False)
    assert "jens@eksempel.dk" not in json.dumps(document)  # contact persons stay out whatever the option says


def test_the_bundled_agreements_have_three_addresses_in_running_text_and_no_phone_number(tmp_path):
    """Every finding in the bundled agreements, looked at one by one: three addresses (one of them a
    private one), and none of their amounts, years, dates and budget figures taken for a phone number."""
    bundled = make_project(tmp_path / "projekt", REPO / "agreements")
    found = notes(bundled.validate())
    assert [re.sub(r": teksten indeholder (\S+ '[^']+)'.*", r" \1", n) for n in found] == [
        "agreements/partnerskabet/tryghed-og-trivsel/2018-01-01.yaml:183: aktiviteter[0].rollegrupper[0].roller[0]"
        ".tekst e-mailadressen 'bigaardensolvang@gmail.com",
        "agreements/partnerskabet/tryghed-og-trivsel/2018-01-01.yaml:282: aktiviteter[1].roller[0].opgaver[3] "
        "e-mailadressen 'BZ4S@tmf.kk.dk",
        "agreements/rum-for-liv/plan.yaml:349: dokument.kolofon e-mailadressen 'gert.korvig@net.lejerbo.dk",
    ]
    # Masking changes nothing else in the data: each file is the unmasked one with the three replaced.
    corpus = load_corpus(bundled.agreements, root=bundled.root)
    masked = {name: data.decode() for name, data in open_data(corpus, site_url=None).files.items()}
    plain = {name: data.decode() for name, data in open_data(corpus, site_url=None, mask_contacts=False).files.items()}
    addresses = ("bigaardensolvang@gmail.com", "BZ4S@tmf.kk.dk", "gert.korvig@net.lejerbo.dk")
    for name, text in plain.items():
        for address in addresses:
            text = text.replace(address, EMAIL_MASK)
        assert masked[name] == text, name
    assert any(EMAIL_MASK in text for text in masked.values())


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("tlf. 22 34 56 78", ["22 34 56 78"]),
        ("Telefon: 3366 3366.", ["3366 3366"]),
        ("ring på 33663366", ["33663366"]),
        ("+45 22 34 56 78 eller 0045 33663366", ["+45 22 34 56 78", "0045 33663366"]),
        ("mobil 40\u00a050\u00a060\u00a070", ["40\u00a050\u00a060\u00a070"]),
        ("skriv til a.b@kk.dk eller c@d-e.dk.", ["a.b@kk.dk", "c@d-e.dk"]),
        ("Budget 12.345.678 kr. og 12 345 678 kr.", []),  # amounts group by thousands
        ("CVR-nr. 32 34 56 78, CVR 32345678, EAN 57 98 00 00", []),  # firms' numbers, by their word
        ("i perioden 2011-2016 og 2018 2019 2020", []),  # year ranges and years
        ("gyldig 2021-06-01 til 2025-05-31, kl. 10 12 14 16", []),  # dates; no number starts with 1
        ("33663366 kr. og 3366 3366 deltagere", []),  # eight digits without a word saying phone
        ("22 34 56 78 90", []),  # ten digits: not a Danish number
    ],
)
def test_what_is_taken_for_contact_data(text, found):
    from generator.base.textscan import contact_data

    assert [f.text for f in contact_data(text)] == found
