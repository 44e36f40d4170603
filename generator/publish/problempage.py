"""While ``mkdocs serve`` runs, a broken agreement or template shows its problems in the browser.

Without this, a failed rebuild leaves MkDocs' server holding every request until the next
good build (the browser spins, the Danish problem list is only in the terminal). Instead the
plugin builds a small site whose generated pages all show the list; the browser reloads it,
and reloads the real page once the author has fixed the file. ``mkdocs build`` still fails.
Knows nothing of MkDocs.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from markupsafe import Markup

from generator.base.problems import DelaftaleError
from generator.render.renderer import RenderedPage

TITLE = "Sitet kan ikke bygges"


def problem_html(error: DelaftaleError) -> Markup:
    """The problem list as HTML. Every text is escaped: messages quote what the author typed."""
    items = []
    for problem in error.problems:
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        what = f"{problem.field}: {problem.message}" if problem.field else problem.message
        items.append(f"<li><code>{escape(where)}</code>: {escape(what)}</li>")
    head = escape(error.report().splitlines()[0])  # "3 fejl i 2 filer:"
    # One HTML block without blank lines: Markdown leaves it as it is.
    return Markup(
        f'<div class="byggefejl" role="alert">\n<p><strong>{head}</strong></p>\n'
        f"<ul>\n{chr(10).join(items)}\n</ul>\n"
        "<p>Ret filerne og gem dem. Siden viser den rigtige side igen, så snart sitet kan bygges.</p>\n"
        "</div>"
    )


def problem_page(error: DelaftaleError) -> RenderedPage:
    return RenderedPage(
        {"title": TITLE, "search": {"exclude": True}},
        f"# {TITLE} {{: #sitet-kan-ikke-bygges }}\n\n{problem_html(error)}\n",
    )


def problem_pages(error: DelaftaleError, uris) -> dict[str, RenderedPage]:
    """The same problem page at every address the author may be looking at."""
    page = problem_page(error)
    return dict.fromkeys(sorted(set(uris)), page)


def addresses_from_folders(agreements_dir: Path) -> set[str]:
    """The pages the agreements folder probably gives (folder names are the ids): the addresses
    to show the problems at when no build of this session has succeeded yet."""
    uris = set()
    for plan in agreements_dir.glob("*/plan.yaml"):
        uris.add(f"{plan.parent.name}/index.md")
        for version in plan.parent.glob("*/*.yaml"):
            uris.add(f"{plan.parent.name}/{version.parent.name}/index.md")
    return uris
