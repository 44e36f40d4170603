"""The importer's parts on their own: the YAML writer, the text reader, parties and contacts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.importer.document import Block, expand_schema_tables
from generator.importer.parties import contact, guess_type, participant
from generator.importer.read_txt import blocks_from_text
from generator.importer.recognize import TEXT_FIELDS, split_sections
from generator.importer.recognize2013 import build_helhedsplan
from generator.importer.tables import budget_table, indicator_rows
from generator.importer.text import markdown
from generator.importer.yamlwrite import Tjek, dump, unwrap
from generator.model.indicators import INDICATOR_COLUMNS
from generator.model.outline import standard_outline
from generator.model.tables import Summetabel
from generator.source.sourcefiles import area_lookup
from generator.source.yamlfile import parse_yaml

TRICKY = [
    "3.100",
    "no",
    "Ja",
    "2018",
    "1. Kvartal:",
    "Tryghed: mere",
    "# ikke en kommentar",
    "- ikke en liste",
    "'citat'",
    '"citat"',
    "&anker",
    "*alias",
    "a #b",
    "ØKF",
    "3B",
    "@x",
    "[^1]",
    "tekst \\ med backslash",
    "2021-06-01",
    "x: y\nanden linje",
    "første\n\n- punkt\n- punkt",
]


def test_tricky_values_survive_the_writer_as_the_strings_they_are():
    data = {
        "felter": [{"tekst": value} for value in TRICKY],
        "dato": "2021-06-01",
        "aar": 2018,
        "gaet": Tjek("udkast", "tjek: alt # også dette"),
    }
    text = dump(data)
    parsed = parse_yaml(text).data
    assert parsed["felter"] == [{"tekst": value} for value in TRICKY] or [
        {"tekst": f["tekst"].strip()} for f in parsed["felter"]
    ] == [{"tekst": value} for value in TRICKY]
    assert parsed["gaet"] == "udkast" and "gaet: udkast  # TJEK: tjek: alt # også dette" in text


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1).map(str.strip).filter(bool),
        lambda inner: (
            st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), inner, min_size=1)
            | st.lists(inner, min_size=1)
        ),
        max_leaves=8,
    )
)
def test_whatever_the_import_writes_reads_back_the_same(value):
    """The same text (a block of several lines may gain a final line break: the models strip it)."""
    data = {"felt": value}
    assert _stripped(parse_yaml(dump(data)).data) == _stripped(unwrap(data))


def _stripped(value):
    if isinstance(value, dict):
        return {k: _stripped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stripped(v) for v in value]
    return value.strip() if isinstance(value, str) else value


def test_extraction_artefacts_become_blocks():
    text = (
        "Navn på indsatsen:**Brøndby Strand Projektet****Delaftalen gælder fra - til:**\n\n"
        'Formål:\n<ul style="x">• første• anden</ul>\n'
        "Delmål\tIndikator\n\tOBS\nTryghed\tFlere trygge\n"
        "³ En kilde\n"
        "5.1 Børn og unge\t12\n"
    )
    blocks = blocks_from_text(text)
    assert [(b.kind, b.text) for b in blocks[:3]] == [
        ("heading", "Navn på indsatsen:"),
        ("para", "Brøndby Strand Projektet"),
        ("heading", "Delaftalen gælder fra - til:"),
    ]
    assert [(b.kind, b.text) for b in blocks if b.kind == "item"] == [("item", "første"), ("item", "anden")]
    table = next(b for b in blocks if b.kind == "table")
    assert table.rows == [["Delmål", "Indikator"], ["", "OBS"], ["Tryghed", "Flere trygge"]]
    assert any(b.kind == "footnote" and b.note_id == "3" and b.text == "En kilde" for b in blocks)
    assert not any("Børn og unge" in b.text for b in blocks)  # a table-of-contents line


def test_a_paragraph_cut_by_a_page_break_is_joined():
    blocks = blocks_from_text("Jo tættere på målgruppen, jo\n\n\n\nbedre grundlag er der.\n")
    assert [b.text for b in blocks] == ["Jo tættere på målgruppen, jo bedre grundlag er der."]


def test_a_form_table_becomes_labels_and_content():
    form = Block(
        "table",
        rows=[["Aktivitetsnavn:", "Tryghed"], ["Formål:", "• at skabe tryghed\n• at forebygge"], ["", "fortsat tekst"]],
    )
    blocks = expand_schema_tables([form])
    assert [(b.kind, b.text) for b in blocks] == [
        ("heading", "Aktivitetsnavn:"),
        ("para", "Tryghed"),
        ("heading", "Formål:"),
        ("item", "at skabe tryghed"),
        ("item", "at forebygge"),
        ("para", "fortsat tekst"),
    ]
    data = Block("table", rows=[["Organisation", "Finansiering"], ["Landsbyggefonden", "3.100"]])
    assert expand_schema_tables([data]) == [data]


def test_contact_persons_are_split_into_title_and_name():
    assert contact("SSP-Fagchef Jens Ansbjerg") == {"navn": "Jens Ansbjerg", "titel": "SSP-Fagchef"}
    assert contact("direktør Ulrik Bock Hoffmeyer") == {"navn": "Ulrik Bock Hoffmeyer", "titel": "direktør"}
    assert contact("Chef for sociale indsatser Mikkel Warming, miwa@3b.dk") == {
        "navn": "Mikkel Warming",
        "titel": "Chef for sociale indsatser",
        "email": "miwa@3b.dk",
    }
    line = participant(
        "Social- og Sundhedsforvaltningen, Brøndby Kommune (Borgerservice- og sekretariatschef Louise Svarre Jakobsen)"
    )
    assert line["navn"] == "Social- og Sundhedsforvaltningen, Brøndby Kommune"
    assert [unwrap(p) for p in line["kontaktpersoner"]] == [
        {"navn": "Louise Svarre Jakobsen", "titel": "Borgerservice- og sekretariatschef"}
    ]
    assert participant("4 beboerdemokrater") == "4 beboerdemokrater"


def test_party_types_are_guessed_from_the_name():
    assert [
        guess_type(n)
        for n in (
            "Det Boligsociale Sekretariat",
            "Brøndby Kommunes SSP-medarbejdere",
            "Københavns Politi",
            "Brøndby Boligselskab",
            "Frivilligcenter Amager",
            "HP4",
        )
    ] == ["boligsocial_indsats", "kommune", "politi", "boligorganisation", "forening", "andet"]


def test_footnote_marks_become_markdown_footnotes_with_their_text():
    text = markdown(
        [Block("para", "Ca. 29 % i aftentimerne³."), Block("footnote", "Tryghedsundersøgelsen", note_id="3")],
        {"3": "Tryghedsundersøgelsen"},
    )
    assert text == "Ca. 29 % i aftentimerne[^3].\n\n[^3]: Tryghedsundersøgelsen"


def test_a_budget_with_several_columns_and_unknown_amounts():
    """A draft's budget by year: the header row gives the columns, '??' and '-' are 'ukendt'
    (marked for the author), and the total row is kept when it adds up."""
    table = Block(
        "table",
        rows=[
            ["Finansieringskilde", "2014", "2015", "2016"],
            ["Landsbyggefonden", "1,2", "1,25", "1.300"],
            ["Kommunen", "0,5", "??", "-"],
            ["I alt", "1,7", "??", "??"],
        ],
    )
    budget = budget_table(table)
    assert unwrap(budget) == {
        "betegnelse_kolonne": "Finansieringskilde",
        "kolonner": ["2014", "2015", "2016"],
        "raekker": [
            {"betegnelse": "Landsbyggefonden", "beloeb": ["1,2", "1,25", "1.300"]},
            {"betegnelse": "Kommunen", "beloeb": ["0,5", "ukendt", "ukendt"]},
        ],
        "total_betegnelse": "I alt",
        "total": ["1,7", "ukendt", "ukendt"],
    }
    unknown = budget["raekker"][1]["beloeb"][1]
    assert isinstance(unknown, Tjek) and "'??'" in unknown.note
    assert Summetabel.model_validate(unwrap(budget)).ukendte  # the model reads it, unknowns and all
    assert "  # TJEK: aftalen skriver '??': beløbet kendes ikke endnu" in dump({"oekonomi": budget})


def test_a_budget_total_that_does_not_add_up_is_left_for_the_author():
    budget = budget_table(
        Block(
            "table",
            rows=[
                ["Organisation", "Finansiering"],
                ["LBF", "3.100"],
                ["Kommunen", "1.928"],
                ["Samlet budget", "5.000"],
            ],
        )
    )
    assert "total" not in budget and "passer ikke med rækkerne" in budget["raekker"].note
    assert Summetabel.model_validate(unwrap(budget))  # so the draft still validates
    two = budget_table(Block("table", rows=[["LBF", "3.100"], ["Kommunen", "1.928"], ["Samlet budget", "5.028"]]))
    assert unwrap(two) == {
        "raekker": [{"betegnelse": "LBF", "beloeb": "3.100"}, {"betegnelse": "Kommunen", "beloeb": "1.928"}],
        "total_betegnelse": "Samlet budget",
        "total": "5.028",
    }


def test_a_2014_master_plan_keeps_target_groups_methods_main_purposes_and_budget():
    """The 2013 recogniser reads its labels and sections from the outline (generator/model/outline.py):
    'Målgruppe' and 'Målemetode' rows of a fact box, 'Hovedformål' and 'Budget' sections."""
    blocks = [
        Block("heading", "Helhedsplan Lindegården", level=1),
        Block("para", "2014–2017"),
        Block("heading", "1. Resumé"),
        Block("para", "Kort om planen."),
        Block("heading", "2. Hovedformål"),
        Block("para", "Flere unge i uddannelse."),
        Block("heading", "3. Indsatsområder"),
        Block("heading", "3.1 Børn og unge"),
        Block("heading", "Problemkompleks"),
        Block("para", "Få unge i uddannelse."),
        Block("heading", "Formål"),
        Block("para", "At flere tager en uddannelse."),
        Block("heading", "3.1.1 Lektiecafé"),
        Block("para", "Caféen er åben to gange om ugen."),
        Block("para", "Målgruppe:"),
        Block("para", "30 skolebørn"),
        Block("para", "Målemetode:"),
        Block("para", "Fremmøde registreres."),
        Block("heading", "4. Budget"),
        Block("para", "Beløb i mio. kr."),
        Block("table", rows=[["Kilde", "2014", "2015"], ["Landsbyggefonden", "1,2", "1,25"], ["I alt", "1,2", "1,25"]]),
    ]
    draft = build_helhedsplan(blocks, None, area_lookup(None))
    activity = draft.versions[0]["aktiviteter"][0]
    assert (
        unwrap(activity)["maalgrupper"] == "30 skolebørn" and unwrap(activity)["maalemetode"] == "Fremmøde registreres."
    )
    document = unwrap(draft.plan["dokument"])
    assert document["hovedformaal"] == [{"formaal": "Flere unge i uddannelse."}]
    assert (
        document["budget"][0]["kolonner"] == ["2014", "2015"] and document["budget"][0]["tekst"] == "Beløb i mio. kr."
    )
    assert "kolofon" not in document


def test_the_indicator_table_is_read_by_the_headings_the_site_gives_it():
    """The columns are found by their headings, in any order: the site's own headings (the
    declared columns' titles, 'Baseline år' not taken for 'Baseline') name the same fields."""
    shown = [c for c in INDICATOR_COLUMNS if c.on_page]
    order = [shown[0], shown[1], shown[4], shown[2], shown[5], shown[3]]  # year before baseline
    table = Block(
        "table",
        rows=[
            [c.title for c in order],
            ["Større tryghed", "Flere føler sig trygge", "2018", "68 %", "Vive", "73 %"],
        ],
    )
    (goal,) = indicator_rows(table, {}, [])
    assert goal["tekst"] == "Større tryghed"
    assert goal["indikatorer"] == [
        {
            "tekst": "Flere føler sig trygge",
            "baseline": "68 %",
            "anden_baseline": "73 %",
            "baseline_aar": 2018,
            "datakilde": "Vive",
        }
    ]


def test_the_outline_decides_the_sections_and_the_free_text_fields():
    """A label written as a generation's heading (generator/model/outline.py) starts its section,
    and unplaced text goes to the outline's Markdown fields, in its order."""
    for skabelon in ("lbf-2019", "lbf-2017"):
        headings = {s.key: s.heading for s in standard_outline(skabelon)}
        for key in ("delmaal", "problemkompleks", "formaal", "medarbejderressourcer", "oekonomi", "revision"):
            if key in headings:
                [_, section] = split_sections([Block("heading", headings[key] + ":")])
                assert section.key == key, (skabelon, key)
        [_, named] = split_sections([Block("para", headings["indsats"] + ": Plan")])
        assert named.key == "indsats"
    assert TEXT_FIELDS["lbf-2019"] == [
        "medarbejderressourcer",
        "sammenhaeng_fysisk",
        "sammenhaeng_kommunal",
        "revision",
    ]
    assert TEXT_FIELDS["lbf-2017"][:3] == ["problemkompleks", "formaal_og_maal", "aktiviteter_indledning"]
    assert TEXT_FIELDS["lbf-2017"][-1] == "revision"
