"""Links never break: a renamed plan or delaftale (``tidligere_id``) keeps its old addresses,
and the addresses that name what the undated page shows (version aliases) lead there; each is a
small page that sends readers, and search engines, on."""

from __future__ import annotations

import posixpath
from html import escape

from generator.corpus import Corpus


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
