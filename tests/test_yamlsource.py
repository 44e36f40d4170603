"""The YAML reader keeps every scalar as written and knows each value's line."""

from __future__ import annotations

import pytest

from generator.source.yamlfile import YamlSyntaxError, parse_yaml


def test_scalars_stay_strings_as_written():
    doc = parse_yaml("beloeb: 3.100\nsvar: no\ndato: 2021-02-30\naar: 2018\ntom:\nnul: null\ncitat: ''\n")
    assert doc.data == {
        "beloeb": "3.100",
        "svar": "no",
        "dato": "2021-02-30",
        "aar": "2018",
        "tom": None,
        "nul": None,
        "citat": "",
    }


def test_lines_of_nested_values():
    doc = parse_yaml("a:\n  - x: 1\n    y:\n      - q\n  - x: 2\n")
    assert doc.line_of(("a",)) == 1
    assert doc.line_of(("a", 1, "x")) == 5
    assert doc.line_of(("a", 0, "y", 0)) == 4
    assert doc.line_of(("a", 0, "mangler")) == 2  # a missing field: its parent's line


def test_duplicate_keys_are_reported_with_lines_and_first_value_kept():
    doc = parse_yaml("a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\n")
    assert doc.data == {"a": "1", "b": "2", "c": {"d": "1"}}
    assert [(p.line, p.message) for p in doc.problems] == [
        (3, "feltet 'a' står to gange i samme afsnit — slet det ene"),
        (6, "feltet 'd' står to gange i samme afsnit — slet det ene"),
    ]


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("a: b: c\n", 1, "et kolon (:) står et sted"),
        ("a:\n\t- b\n", 2, "tabulator"),
        ("a: 'åben\n", 1, "anførselstegn"),  # the line the quote opens on, not where YAML gave up
        ("a: 1\n---\nb: 2\n", 2, "flere YAML-dokumenter"),
        ("", 1, "filen er tom"),
    ],
)
def test_syntax_errors_in_danish_with_line(text, line, words):
    with pytest.raises(YamlSyntaxError) as info:
        parse_yaml(text)
    [problem] = info.value.problems
    assert problem.line == line
    assert words in problem.message


def test_anchors_and_aliases_are_refused_where_they_stand():
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml("a: &x [1, 2]\nb: *x\n")
    assert [(p.line, p.message.split(" ")[:2]) for p in caught.value.problems] == [
        (1, ["ankeret", "'&x'"]),
        (2, ["aliaset", "'*x'"]),
    ]
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml("a: &x [1, *x]\n")  # a recursive alias, refused the same way
    assert [p.line for p in caught.value.problems] == [1, 1]


def test_asterisks_and_ampersands_in_text_are_no_anchors():
    text = "a: '*x'\nb: |\n  *fremhævet* tekst & mere\n  - *punkt*\nc: R&D og 3*4\n"
    assert parse_yaml(text).data == {"a": "*x", "b": "*fremhævet* tekst & mere\n- *punkt*\n", "c": "R&D og 3*4"}


@pytest.mark.parametrize(
    "text",
    [
        "a: &x v\nb: [*x]\n",
        "a: &x v\nb: {c: *x}\n",
        'a: &x v\nb: {"c":*x}\n',
        "a: &x v\nb:\n  - *x\n",
        "--- &x\na: b\n",
        "a: !!str &x v\n",
        "a: &x v\n? *x\n: c\n",
        "a: &x v\nb:\n  *x\n",
        "a: &x v\nb:\t*x\n",
        "a: &x-y_1 v\nb: [c,*x-y_1]\n",
        "&x a: b\n",
    ],
)
def test_anchors_and_aliases_are_found_wherever_yaml_allows_them(text):
    with pytest.raises(YamlSyntaxError) as caught:
        parse_yaml(text)
    assert all(p.message.startswith(("ankeret", "aliaset", "YAML-syntaksfejl")) for p in caught.value.problems)
    assert any(p.message.startswith(("ankeret", "aliaset")) for p in caught.value.problems)
