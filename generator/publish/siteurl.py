"""The site's public address (``site_url``), which absolute links (feed, sitemap, permanent
links, printouts) are built from: whether it is set, and whether it must be."""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

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
