"""The site's search: Pagefind, run over the built HTML.

Material's built-in search sends the whole site's text to the browser before the first result
(3.2 MB gzipped at 1,000 pages). Pagefind splits its index into chunks and a query fetches only
the chunks for its words: about 150 KB whatever the size of the site. It stems Danish (the page
language is ``da``), indexes only what main.html marks ``data-pagefind-body`` and offers the
plan, focus area and municipality filters the pages declare.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import DelaftaleError, Problem

OUTPUT_SUBDIR = "pagefind"
# Out of the index: personal data (contact persons); the headings' "¶" permalinks; and what
# every agreement says alike (LBF's standard texts, the version banner), which would match
# every query and fill the excerpts.
EXCLUDED = "[data-search-exclude], .headerlink, .standardtekst, .versionsstatus"
# Pages that can be indexed lie at most two folders deep (plans, delaftaler, overviews); the
# deeper ones (dated versions, histories, partner pages) are never indexed. Not reading them
# saves Pagefind 40 % of its time; data-pagefind-body still decides what is indexed.
INDEXABLE = "{index.html,*/index.html,*/*/index.html}"


class SearchIndexProblem(DelaftaleError):
    def __init__(self, site_dir: Path, message: str):
        super().__init__([Problem(str(site_dir), None, "", message)])


def build_index(site_dir: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", OUTPUT_SUBDIR,
               "--exclude-selectors", EXCLUDED, "--glob", INDEXABLE, "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SearchIndexProblem(site_dir, f"søgeindekset kunne ikke bygges: {exc}") from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise SearchIndexProblem(site_dir, "søgeindekset kunne ikke bygges (Pagefind): " + " / ".join(detail)
                                 + " — er pakken 'pagefind[bin]' installeret?")
