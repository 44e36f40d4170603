"""The manifest of every public URL: what a build serves (``site/adresser.json``), and the copy
last published (``publicerede-adresser.json``, kept in the repository) that the next build is held
to. It lists the pages, the redirects, the open data files, and the record of each published
version (fingerprints.py): :class:`Manifest` reads it (a damaged file is a located problem), writes
it, and answers what was published and what the record of a version is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from generator.base.problems import DelaftaleError, Problem, display_path
from generator.corpus import Corpus
from generator.model import fingerprints
from generator.model.fingerprints import RecordedVersion
from generator.model.messages import Loc, format_loc, translate_all
from generator.source import figures

MANIFEST = "adresser.json"  # a build's manifest, in the site's folder

# How to repair a damaged manifest: it is written by the build, never by hand.
REFETCH = (
    "hent den seneste udgave fra git (git checkout -- publicerede-adresser.json), eller kopier "
    "site/adresser.json fra den sidst offentliggjorte bygning hertil"
)
REBUILD = "byg sitet igen (mkdocs build); filen skrives af bygningen"


class Manifest(BaseModel):
    """Every public URL of a build, and the record of each version it published. The keys are
    the file's (Danish, as the file has always had them). Every key is required: a missing one
    would silently switch off what it feeds (the read-only past, the addresses that must stay).
    Strict: the build writes exactly these types; anything else is damage, not a value to coerce."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    sider: list[str]  # the pages (and PDFs, and the feed)
    omdirigeringer: dict[str, str]  # old address -> where it leads (redirects.py)
    versioner: dict[str, RecordedVersion]  # a published version's URL -> its record
    datafiler: list[str]  # the open data (opendata.py): addresses that must not break like pages

    @classmethod
    def empty(cls) -> Manifest:
        """The manifest before the first publication: nothing published, nothing to keep."""
        return cls(sider=[], omdirigeringer={}, versioner={}, datafiler=[])

    @classmethod
    def of_build(
        cls,
        pages: list[str],
        moved: dict[str, str],
        versions: dict[str, RecordedVersion] | None = None,
        data_files: list[str] | None = None,
    ) -> Manifest:
        """A build's manifest, in the order the file lists it (sorted: a rebuild writes the same bytes)."""
        return cls(
            sider=sorted(pages),
            omdirigeringer=dict(sorted(moved.items())),
            versioner=dict(sorted((versions or {}).items())),
            datafiler=sorted(data_files or []),
        )

    @classmethod
    def read(cls, path: Path, fix: str = REFETCH) -> Manifest:
        """A manifest (the published copy, or a build's ``site/adresser.json``), checked. A damaged
        one is a located problem (:class:`DelaftaleError`), never a traceback and never taken as
        empty, which would switch off the checks that read it. A missing file raises
        FileNotFoundError: whether that is fine is the caller's to say. ``fix`` says how to repair it."""
        shown = display_path(path)
        text, data = _read_json(path, shown, fix)
        problems = _problems(shown, text, data, fix)
        if problems:
            raise DelaftaleError(problems)
        return cls.model_validate(data)

    @classmethod
    def read_published(cls, path: Path) -> Manifest:
        """The manifest as last published, checked (:meth:`read`); empty before the first publication."""
        try:
            return cls.read(path)
        except FileNotFoundError:
            return cls.empty()

    def text(self) -> str:
        """The file's text, as every build has written it."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"

    def write(self, path: Path) -> None:
        path.write_text(self.text(), encoding="utf-8")

    def addresses(self) -> set[str]:
        """Every address a reader may have kept: the pages, the redirects and the data files."""
        return set(self.sider) | set(self.omdirigeringer) | set(self.datafiler)

    def missing_in(self, newer: Manifest) -> list[str]:
        """Addresses published here that ``newer`` neither serves nor redirects."""
        return sorted(self.addresses() - newer.addresses())

    def record(self, url: str) -> RecordedVersion | None:
        """The record of the version at ``url`` ('plan/delaftale/2024-01-01/'); None if it was not published."""
        return self.versioner.get(url)

    def was_published(self, url: str) -> bool:
        """Whether the version at ``url`` was published: as a page of its own, as an address that
        leads to the undated page (the current version's), or in the record."""
        return url in self.sider or url in self.omdirigeringer or url in self.versioner


def version_records(corpus: Corpus) -> dict[str, RecordedVersion]:
    """The record of every published version (:meth:`Corpus.published_versions`), by its URL."""
    return {
        fingerprints.version_url(v.model): fingerprints.entry(v.model, figures.of_model(v.model, v.source))
        for _, v in corpus.published_versions()
    }


def _read_json(path: Path, shown: str, fix: str) -> tuple[str, object]:
    """The file's text and its JSON; what keeps it from being read is a located problem."""
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text)
    except FileNotFoundError:
        raise
    except json.JSONDecodeError as exc:
        raise DelaftaleError(
            [Problem(shown, exc.lineno, "", f"filen er ikke gyldig JSON (fejlen står i kolonne {exc.colno}) — {fix}")]
        ) from None
    except UnicodeDecodeError:
        raise DelaftaleError([Problem(shown, None, "", f"filen er ikke tekst i UTF-8 — {fix}")]) from None
    except OSError as exc:
        raise DelaftaleError(
            [
                Problem(
                    shown,
                    None,
                    "",
                    f"filen kan ikke læses (filsystemet svarede '{exc.strerror}') — tjek rettighederne, eller {fix}",
                )
            ]
        ) from None
    return text, data


# The JSON types the manifest is made of, as a message names them (messages.translate words
# them for YAML, which the authors write; this file is JSON).
_JSON_TYPES = {
    "model_type": "et objekt ({…})",
    "dict_type": "et objekt ({…})",
    "list_type": "en liste ([…])",
    "string_type": "en tekst i anførselstegn",
    "int_type": "et helt tal",
    "greater_than_equal": "0 eller mere",
    "literal_error": None,
}


def _json_value(value: object) -> str:
    if isinstance(value, dict):
        return "et objekt"
    if isinstance(value, list):
        return "en liste"
    if isinstance(value, str):
        return f"teksten '{value[:57]}…'" if len(value) > 60 else f"teksten '{value}'"
    if isinstance(value, bool):
        return str(value).lower()
    return "null" if value is None else f"tallet {value}"


def _json_line(text: str, loc: Loc) -> int | None:
    """The line of the deepest key of ``loc`` found in the file, each searched after its parent's
    (the JSON parser gives no lines for values); for the whole file, the line it starts on."""
    line = text[: len(text) - len(text.lstrip())].count("\n") + 1 if text.strip() else None
    position = 0
    for key in loc:
        if not isinstance(key, str):
            break
        found = re.compile(re.escape(json.dumps(key, ensure_ascii=False)) + r"\s*:").search(text, position)
        if found is None:
            break
        position, line = found.end(), text.count("\n", 0, found.start()) + 1
    return line


def _problems(shown: str, text: str, data: object, fix: str) -> list[Problem]:
    """What is wrong with a parsed manifest, each problem at its key, with how to repair the file."""
    try:
        Manifest.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
    else:
        return []
    if not isinstance(data, dict):
        return [
            Problem(
                shown,
                _json_line(text, ()),
                "",
                (
                    f"filen skal være et objekt med 'sider', 'omdirigeringer', 'versioner' og 'datafiler' (som "
                    f"site/adresser.json), men er {_json_value(data)}; uden dem kan det ikke tjekkes, at offentliggjorte "
                    f"adresser og versioner består — {fix}"
                ),
            )
        ]
    found: list[tuple[Loc, str, Loc]] = []  # (field, message, where its line is)
    typed = [e for e in errors if e["type"] in _JSON_TYPES]
    for error in typed:
        loc = tuple(error["loc"])
        wanted = _JSON_TYPES[error["type"]]
        what = (
            f"skal være {wanted}"
            if wanted
            else f"skal være en af {(error.get('ctx') or {}).get('expected', '').replace(' or ', ', ')}"
        )
        found.append((loc, f"{what}, men er {_json_value(error.get('input'))}", loc))
    for loc, message in translate_all([e for e in errors if e not in typed], Manifest):
        if message.startswith("feltet '"):  # a missing key (translate words it for YAML): at its parent's line
            found.append((loc, f"'{loc[-1]}' mangler", loc[:-1]))
        else:
            found.append((loc, message, loc))
    return [
        Problem(shown, _json_line(text, where), format_loc(loc), f"{message} — {fix}") for loc, message, where in found
    ]
