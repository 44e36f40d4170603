"""Links never break: the manifest of every public URL, redirects for renamed ids, and the
check that compares a build's manifest with the one last published. And the site's public
address (``site_url``), which absolute links (feed, sitemap, permanent links) are built from.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.base.problems import DelaftaleError, Problem, display_path
from generator.corpus import Corpus
from generator.model import fingerprints
from generator.model.delaftale import Dokumentstatus
from generator.model.messages import Loc, format_loc, translate_all
from generator.source import figures

MANIFEST = "adresser.json"
SITE_URL_VARIABLE = "DELAFTALER_SITE_URL"  # mkdocs.yml: site_url: !ENV [DELAFTALER_SITE_URL, null]
PRODUCTION_VARIABLE = "DELAFTALER_PRODUKTION"  # set to 1 for the build that is published


def production_build(environ: Mapping[str, str] = os.environ) -> bool:
    """A build that will be published: the pipeline says so with DELAFTALER_PRODUKTION=1. Not
    CI=true, which every CI job has, the test job too (its builds need no public address)."""
    return environ.get(PRODUCTION_VARIABLE, "").strip().lower() in ("1", "true", "ja", "yes")


def site_url_problem(site_url: str | None) -> str | None:
    """What is wrong with the public address, in Danish with what to set; None when it is fine."""
    example = f"fx {SITE_URL_VARIABLE}=https://delaftaler.example.dk/"
    if not site_url:
        return (
            f"sitets offentlige adresse mangler — sæt miljøvariablen {SITE_URL_VARIABLE} til adressen, "
            f"sitet udgives på ({example}), eller site_url i mkdocs.yml. Uden den får feedet, sitemap.xml, "
            "de faste links og udskrifterne ingen fulde adresser"
        )
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            f"sitets offentlige adresse '{site_url}' er ikke en fuld adresse — skriv den med https:// foran ({example})"
        )
    return None


def redirects(corpus: Corpus) -> dict[str, str]:
    """Old URL -> new URL for every id declared in `tidligere_id` (plans and delaftaler)."""
    moved: dict[str, str] = {}
    for entry in corpus.plans:
        plan_ids = [entry.plan.id, *entry.plan.tidligere_id]
        for old_plan in entry.plan.tidligere_id:
            moved[f"{old_plan}/"] = entry.url
        for agreement in entry.agreements:
            agreement_ids = {agreement.id} | {i for v in agreement.versions for i in v.model.tidligere_id}
            for plan_id in plan_ids:
                for agreement_id in agreement_ids:
                    if (plan_id, agreement_id) == (entry.plan.id, agreement.id):
                        continue
                    old = f"{plan_id}/{agreement_id}/"
                    moved[old] = agreement.url
                    moved[old + "historik/"] = agreement.history_src_uri.removesuffix("index.md")
                    for version in agreement.versions:
                        moved[f"{old}{version.key}/"] = agreement.version_src_uri(version).removesuffix("index.md")
    return moved


def version_aliases(corpus: Corpus) -> dict[str, str]:
    """Addresses that lead to the undated page because it shows what they name: the dated
    address of the current version, and the history of an agreement with one version. They
    become pages of their own when a newer version is published."""
    aliases: dict[str, str] = {}
    for agreement in corpus.agreements:
        for version in agreement.versions:
            if not agreement.own_page(version):
                aliases[agreement.version_src_uri(version).removesuffix("index.md")] = agreement.url
        if not agreement.has_history:
            aliases[agreement.history_src_uri.removesuffix("index.md")] = agreement.url
    return aliases


def redirect_page(old: str, new: str, site_url: str | None = None) -> str:
    """A static page at the old address that sends readers (and search engines) on."""
    target = escape(posixpath.relpath(new, old) + "/")
    canonical = escape(site_url.rstrip("/") + "/" + new) if site_url else target
    return (
        f'<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n<title>Siden er flyttet</title>\n'
        f'<link rel="canonical" href="{canonical}">\n<meta http-equiv="refresh" content="0; url={target}">\n'
        f'<meta name="robots" content="noindex">\n</head>\n<body>\n'
        f'<p>Siden er flyttet til <a href="{target}">{target}</a>.</p>\n</body>\n</html>\n'
    )


def manifest(
    pages: list[str],
    moved: dict[str, str],
    versions: dict[str, dict] | None = None,
    data_files: list[str] | None = None,
) -> str:
    """``data_files``: the open data (opendata.py), addresses that must not break like pages."""
    return (
        json.dumps(
            {
                "sider": sorted(pages),
                "omdirigeringer": dict(sorted(moved.items())),
                "versioner": dict(sorted((versions or {}).items())),
                "datafiler": sorted(data_files or []),
            },
            ensure_ascii=False,
            indent=1,
        )
        + "\n"
    )


def published_versions(corpus: Corpus) -> dict[str, dict]:
    """The record of every published version (drafts are never published): see fingerprints.py."""
    return {
        fingerprints.version_url(v.model): fingerprints.entry(v.model, figures.of_model(v.model, v.source))
        for a in corpus.agreements
        for v in a.versions
        if v.model.status != "udkast"
    }


# How to repair a damaged record: it is written by the build, never by hand.
REFETCH = (
    "hent den seneste udgave fra git (git checkout -- publicerede-adresser.json), eller kopier "
    "site/adresser.json fra den sidst offentliggjorte bygning hertil"
)
REBUILD = "byg sitet igen (mkdocs build); filen skrives af bygningen"


class _RecordPart(BaseModel):
    # Strict: the build writes exactly these types; anything else is damage, not a value to coerce.
    model_config = ConfigDict(extra="forbid", strict=True)


class RecordedVersion(_RecordPart):
    """What the record holds of a published version (fingerprints.entry)."""

    status: Dokumentstatus
    rettelser: Annotated[int, Field(ge=0)]
    felter: dict[str, str]


class PublishedRecord(_RecordPart):
    """The address manifest (``manifest``) as a file. Every key is required: a missing one would
    silently switch off what it feeds (the read-only past, the addresses that must stay)."""

    sider: list[str]
    omdirigeringer: dict[str, str]
    versioner: dict[str, RecordedVersion]
    datafiler: list[str]


# The JSON types the record is made of, as a message names them (messages.translate words
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


def _record_problems(shown: str, text: str, data: object, fix: str) -> list[Problem]:
    """What is wrong with a parsed record, each problem at its key, with how to repair the file."""
    try:
        PublishedRecord.model_validate(data)
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
    for loc, message in translate_all([e for e in errors if e not in typed], PublishedRecord):
        if message.startswith("feltet '"):  # a missing key (translate words it for YAML): at its parent's line
            found.append((loc, f"'{loc[-1]}' mangler", loc[:-1]))
        else:
            found.append((loc, message, loc))
    return [
        Problem(shown, _json_line(text, where), format_loc(loc), f"{message} — {fix}") for loc, message, where in found
    ]


def read_record(path: Path, fix: str = REFETCH) -> dict:
    """An address manifest (the published copy, or a build's ``site/adresser.json``), checked against
    :class:`PublishedRecord`. A damaged one is a located problem (:class:`DelaftaleError`), never a
    traceback and never taken as empty, which would switch off the checks that read it. A missing
    file raises FileNotFoundError: whether that is fine is the caller's to say."""
    shown = display_path(path)
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
    problems = _record_problems(shown, text, data, fix)
    if problems:
        raise DelaftaleError(problems)
    return data


def read_published(path: Path) -> dict:
    """The record as last published, checked (:func:`read_record`); {} before the first publication."""
    try:
        return read_record(path)
    except FileNotFoundError:
        return {}


def missing_addresses(previous: dict, current: dict) -> list[str]:
    """Addresses that were published and that the new build neither serves nor redirects."""
    before = (
        set(previous.get("sider", [])) | set(previous.get("omdirigeringer", {})) | set(previous.get("datafiler", []))
    )
    now = set(current.get("sider", [])) | set(current.get("omdirigeringer", {})) | set(current.get("datafiler", []))
    return sorted(before - now)
