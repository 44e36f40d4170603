"""Read a YAML file into plain Python data plus the line of every value.

Why not ``yaml.safe_load``: YAML 1.1 guesses types, so ``baseline: 3.100`` (Danish for
3,100) becomes the float 3.1, ``no`` becomes ``False`` and ``2021-02-30`` crashes the loader
with a traceback. Here every scalar stays a string (only an empty value or ``null`` is
``None``) and the pydantic models do all typing, with Danish messages. Walking the composed
node tree ourselves also gives a line for every field path and lets us reject duplicate keys,
which PyYAML silently overwrites.

Anchors and aliases (``&navn`` / ``*navn``) are refused before the tree is built: no agreement
needs them, and a 1 KB file of nested aliases ("billion laughs") expands to billions of values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

try:  # libyaml is 15x faster; marks (line numbers) are available from both
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


Path_ = tuple[str | int, ...]

_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _StringResolver:
    """Tags for a tree where every scalar is a string: only null and the merge key (``<<``,
    which we reject) are told apart. PyYAML's own resolver tries a dozen regular expressions
    per scalar to guess types we throw away anyway; this is the loading's hot path."""

    def descend_resolver(self, current_node, current_index) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind, value, implicit) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0] and value in _NULLS:
                return _NULL_TAG
            if implicit[0] and value == "<<":
                return _MERGE_TAG
            return "tag:yaml.org,2002:str"
        return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


class _Loader(_Parser, _StringResolver):
    pass


@dataclass(frozen=True)
class YamlProblem:
    line: int | None
    message: str


@dataclass
class SourceDocument:
    """Parsed data of one file with the 1-based line of each field path."""

    data: object
    #: the file's text: lines are looked up in it only when a problem needs one
    text: str = ""
    #: problems that still leave usable data (a duplicate key keeps its first value)
    problems: list[YamlProblem] = field(default_factory=list)
    #: False when the text cannot hold an ``aftale:`` cross-reference (spares walking the data)
    may_reference_agreements: bool = True
    _lines: tuple[dict[Path_, int], dict[Path_, int]] | None = field(default=None, repr=False, compare=False)

    def line_of(self, path: Path_) -> int | None:
        """Line of the field at ``path`` (its key's line: a list value starts below it),
        else of the nearest ancestor that exists (e.g. for a missing field)."""
        if self._lines is None:
            # Recording a line for each of a file's thousands of values costs more than parsing
            # it; most files never need one. Parse again, recording, when one is asked for.
            lines = _Lines()
            _build(yaml.compose(self.text, Loader=_Loader), (), [], set(), lines)
            self._lines = (lines.keys, lines.values)
        key_lines, value_lines = self._lines
        for end in range(len(path), -1, -1):
            line = key_lines.get(path[:end]) or value_lines.get(path[:end])
            if line is not None:
                return line
        return None

    def line_of_text(self, path: Path_, needle: str) -> int | None:
        """The line where ``needle`` stands inside the value at ``path`` (a link in a long text
        block), else the value's own line."""
        start = self.line_of(path)
        if start is None:
            return None
        for number, line in enumerate(self.text.splitlines()[start - 1 :], start):
            if needle in line:
                return number
        return start


class YamlSyntaxError(Exception):
    def __init__(self, problems: list[YamlProblem]):
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


# libyaml's problem texts, translated. Order matters: the first match wins.
_SYNTAX_HINTS: list[tuple[str, str]] = [
    (
        "mapping values are not allowed",
        "et kolon (:) står et sted, hvor YAML ikke venter det — sæt teksten i anførselstegn "
        "eller skriv den som en tekstblok med |",
    ),
    ("could not find expected ':'", "YAML venter et kolon efter feltnavnet — tjek at linjen har formen 'felt: værdi'"),
    ("did not find expected key", "indrykningen passer ikke — felter på samme niveau skal stå præcis under hinanden"),
    (
        "did not find expected '-' indicator",
        "indrykningen passer ikke i listen — alle punkter skal starte med '- ' i samme kolonne",
    ),
    ("found undefined alias", "et alias (*navn) henviser til et anker (&navn), som ikke findes"),
    ("found unexpected end of stream", "filen slutter midt i en værdi — mangler der et afsluttende anførselstegn?"),
    (
        "found unknown escape character",
        "ukendt escape-tegn efter \\ i en tekst i dobbelte anførselstegn — brug enkelte anførselstegn",
    ),
    ("expected a single document", "filen indeholder flere YAML-dokumenter (---) — én fil skal rumme ét dokument"),
    (
        "found character that cannot start any token",
        "et tegn kan ikke stå først i en værdi her (fx @ eller `) — sæt værdien i anførselstegn",
    ),
    (
        "while scanning a quoted scalar",
        "et anførselstegn lukkes ikke — tjek at teksten slutter med samme slags anførselstegn",
    ),
    (
        "while parsing a block collection",
        "indrykningen passer ikke i listen — alle punkter skal starte med '- ' i samme kolonne",
    ),
    (
        "while parsing a block mapping",
        "indrykningen passer ikke — felter på samme niveau skal stå præcis under hinanden",
    ),
]


def _translate(exc: yaml.YAMLError, source: str) -> YamlProblem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    lines = source.splitlines()
    if line is not None and line <= len(lines) and "\t" in lines[line - 1][: mark.column + 1]:
        return YamlProblem(
            line, "YAML-syntaksfejl: linjen indeholder et tabulator-tegn — brug mellemrum til indrykning"
        )
    text = " ".join(str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part)
    text = text or str(exc)
    for needle, danish in _SYNTAX_HINTS:
        if needle in text:
            return YamlProblem(line, f"YAML-syntaksfejl: {danish}")
    detail = re.sub(r"\s+", " ", text).strip()
    return YamlProblem(line, f"YAML-syntaksfejl: filen kan ikke læses ({detail}) — tjek indrykning og anførselstegn")


_OPENING_QUOTE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s#'"-][^#]*?:\s+)?(["'])""")


def _closes(rest: str, quote: str) -> bool:
    """Whether a quoted value that continues with ``rest`` ends on this line."""
    if quote == "'":
        return "'" in rest.replace("''", "")
    return re.search(r'(?<!\\)"', rest.replace("\\\\", "")) is not None


def _unclosed_quote(text: str, problem: YamlProblem) -> YamlProblem | None:
    """Where the author went wrong when a quote was left open: YAML reads on, across lines, and
    gives up far below (an 'indentation error at line 167' for a quote opened on line 9). The
    first line before the error whose value opens a quote it does not close is the culprit if
    closing it there lets the parser get further; only then is it reported instead."""
    if problem.line is None:
        return None
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines[: problem.line], 1):
        match = _OPENING_QUOTE.match(line)
        if not match or _closes(line[match.end() :].rstrip("\n"), match[1]):
            continue
        repaired = "".join([*lines[: number - 1], line.rstrip("\n") + match[1] + "\n", *lines[number:]])
        try:
            yaml.compose(repaired, Loader=_Loader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            if mark is None or mark.line + 1 <= problem.line:
                return None
        quote = "anførselstegnet" if match[1] == '"' else "det enkelte anførselstegn"
        return YamlProblem(
            number,
            f"YAML-syntaksfejl: {quote} ({match[1]}) i starten af værdien lukkes ikke på linjen "
            f"— tilføj det afsluttende {match[1]} sidst på linjen (YAML læste videre og gav op "
            f"på linje {problem.line})",
        )
    return None


_STARTS_A_VALUE = frozenset(" \t\r\n[{,:")


def _may_have_anchors(text: str) -> bool:
    """Whether an anchor (&name) or alias (*name) could stand in the text: one can only start
    where a value starts (at the start of a line, or after a space, [ { , or :) and its name is
    letters, digits, - and _. Most files have no such text and skip the event scan; Markdown
    emphasis (*ord*) in a text block also passes here and is cleared by the scan. Found with
    str.find (memchr), not a regular expression: this runs on every file (0.2 ms a MB)."""
    for sign in "&*":
        at = text.find(sign)
        while at != -1:
            name = text[at + 1 : at + 2]
            if name and (name.isalnum() or name in "-_") and (at == 0 or text[at - 1] in _STARTS_A_VALUE):
                return True
            at = text.find(sign, at + 1)
    return False


def _anchors_and_aliases(text: str) -> list[YamlProblem]:
    """Every anchor and alias in the text, located, from libyaml's events: they are seen before
    anything is composed or expanded, in a stream, so time and memory follow the file's size."""
    problems: list[YamlProblem] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    YamlProblem(
                        event.start_mark.line + 1,
                        (
                            f"aliaset '*{event.anchor}' gentager en anden værdi, men aftaler bruger ikke YAML-aliaser — "
                            "skriv teksten ud her (skulle * fremhæve et ord, så sæt hele værdien i anførselstegn)"
                        ),
                    )
                )
            elif getattr(event, "anchor", None) is not None:
                problems.append(
                    YamlProblem(
                        event.start_mark.line + 1,
                        (
                            f"ankeret '&{event.anchor}' navngiver en værdi til gentagelse, men aftaler bruger ikke "
                            f"YAML-ankre og -aliaser — slet '&{event.anchor}' og skriv teksten ud de steder, den skal stå"
                        ),
                    )
                )
    except yaml.YAMLError as exc:
        if problems:  # the rest of the file cannot be read either: say so in the same run
            problems.append(_translate(exc, text))
    except ValueError:
        pass  # unreadable text: parsing below says so
    return list(dict.fromkeys(problems))  # an alias repeated on one line is one problem


def parse_yaml(text: str) -> SourceDocument:
    """Parse one YAML document into a :class:`SourceDocument`.

    Raises :class:`YamlSyntaxError` when the text cannot be read at all (the parser stops
    at the first syntax error). Problems that leave usable data, such as duplicate keys,
    are collected in ``problems`` of the returned document.
    """
    if _may_have_anchors(text):
        refused = _anchors_and_aliases(text)
        if refused:
            raise YamlSyntaxError(refused)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        problem = _translate(exc, text)
        raise YamlSyntaxError([_unclosed_quote(text, problem) or problem]) from None
    except (UnicodeError, ValueError) as exc:  # e.g. unreadable bytes
        raise YamlSyntaxError([YamlProblem(None, f"filen kan ikke læses som UTF-8-tekst ({exc})")]) from None
    doc = SourceDocument(data=None, text=text, may_reference_agreements="aftale:" in text)
    if root is None:
        raise YamlSyntaxError([YamlProblem(1, "filen er tom — den skal indeholde felter som 'id: …'")])
    doc.data = _build(root, (), doc.problems, set(), None)
    return doc


@dataclass
class _Lines:
    keys: dict[Path_, int] = field(default_factory=dict)
    values: dict[Path_, int] = field(default_factory=dict)


def _build(node: yaml.Node, path: Path_, problems: list[YamlProblem], active: set[int], lines: _Lines | None):
    if lines is not None:
        lines.values[path] = node.start_mark.line + 1
    if id(node) in active:  # a recursive alias (&a [*a]) would never end
        problems.append(YamlProblem(node.start_mark.line + 1, "et alias henviser til sig selv — fjern aliaset"))
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _NULL_TAG:  # plain empty, ~ or null; a quoted '' stays a string
            return None
        return node.value
    active.add(id(node))
    try:
        if isinstance(node, yaml.SequenceNode):
            return [_build(item, (*path, i), problems, active, lines) for i, item in enumerate(node.value)]
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                problems.append(YamlProblem(line, "et feltnavn skal være en enkel tekst som 'navn:'"))
                continue
            key = key_node.value
            if key in result:
                problems.append(YamlProblem(line, f"feltet '{key}' står to gange i samme afsnit — slet det ene"))
                continue
            if lines is not None:
                lines.keys[(*path, key)] = line
            result[key] = _build(value_node, (*path, key), problems, active, lines)
        return result
    finally:
        active.discard(id(node))
