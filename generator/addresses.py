"""Links never break: the manifest of every public URL, redirects for renamed ids, and the
check that compares a build's manifest with the one last published. And the site's public
address (``site_url``), which absolute links (feed, sitemap, permanent links) are built from.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Mapping
from html import escape
from urllib.parse import urlsplit

from pathlib import Path

from . import figures, record
from .errors import DelaftaleError, Problem, display_path
from .structure import Corpus

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
        return (f"sitets offentlige adresse mangler — sæt miljøvariablen {SITE_URL_VARIABLE} til adressen, "
                f"sitet udgives på ({example}), eller site_url i mkdocs.yml. Uden den får feedet, sitemap.xml, "
                "de faste links og udskrifterne ingen fulde adresser")
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (f"sitets offentlige adresse '{site_url}' er ikke en fuld adresse — skriv den med https:// foran "
                f"({example})")
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
    return (f'<!doctype html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n<title>Siden er flyttet</title>\n'
            f'<link rel="canonical" href="{canonical}">\n<meta http-equiv="refresh" content="0; url={target}">\n'
            f'<meta name="robots" content="noindex">\n</head>\n<body>\n'
            f'<p>Siden er flyttet til <a href="{target}">{target}</a>.</p>\n</body>\n</html>\n')


def manifest(pages: list[str], moved: dict[str, str], versions: dict[str, dict] | None = None,
             data_files: list[str] | None = None) -> str:
    """``data_files``: the open data (opendata.py), addresses that must not break like pages."""
    return json.dumps({"sider": sorted(pages), "omdirigeringer": dict(sorted(moved.items())),
                       "versioner": dict(sorted((versions or {}).items())), "datafiler": sorted(data_files or [])},
                      ensure_ascii=False, indent=1) + "\n"


def published_versions(corpus: Corpus) -> dict[str, dict]:
    """The record of every published version (drafts are never published): see record.py."""
    return {record.version_url(v.model): record.entry(v.model, figures.of_model(v.model, v.source))
            for a in corpus.agreements for v in a.versions if v.model.status != "udkast"}


def read_published(path: Path) -> dict:
    """The manifest as last published; {} before the first publication. A damaged file is an
    author-facing problem, not a traceback."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise DelaftaleError([Problem(display_path(path), None, "", f"filen kan ikke læses som JSON ({exc}) — "
                                      "hent den seneste udgave fra git, eller kopier site/adresser.json hertil")]) from None
    return data if isinstance(data, dict) else {}


def missing_addresses(previous: dict, current: dict) -> list[str]:
    """Addresses that were published and that the new build neither serves nor redirects."""
    before = set(previous.get("sider", [])) | set(previous.get("omdirigeringer", {})) | set(previous.get("datafiler", []))
    now = set(current.get("sider", [])) | set(current.get("omdirigeringer", {})) | set(current.get("datafiler", []))
    return sorted(before - now)
