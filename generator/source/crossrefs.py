"""References from one agreement to another, marked by authors as Markdown links:

    [aktiviteten "Tryghedsindsats"](aftale:sammenhaengskraft-og-medborgerskab#tryghedsindsats)
    [Mestring og fællesskab](aftale:uddannelse-og-livschancer#mestring-og-faellesskab)
    [samme aktivitet i Slagelse](aftale:en-faelles-indsats/sammenhaengskraft-og-medborgerskab#beboervejledning)

The target is ``[<plan>/]<delaftale>[#<aktivitet>]`` (without a plan: the same plan). A
published target becomes a link; a focus area of the vocabulary without a published delaftale
is shown as text with a plain note; anything else is a validation error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

MARKDOWN_REF = re.compile(r"\[([^\]]+)\]\(aftale:([a-z0-9/-]+)(?:#([a-z0-9-]+))?\)")
HTML_REF = re.compile(r'<a href="aftale:([a-z0-9/-]+)(?:#([a-z0-9-]+))?">(.*?)</a>')
NOT_PUBLISHED = "(delaftalen er ikke offentliggjort på sitet)"


@dataclass(frozen=True)
class Target:
    plan: str
    agreement: str
    anchor: str | None


def parse(target: str, anchor: str | None, own_plan: str) -> Target | None:
    parts = target.split("/")
    if len(parts) == 1:
        return Target(own_plan, parts[0], anchor)
    if len(parts) == 2 and all(parts):
        return Target(parts[0], parts[1], anchor)
    return None


def references(data: object, path: tuple = ()) -> Iterator[tuple[tuple, str, str | None]]:
    """Every (field path, target, anchor) marked in the text fields of raw agreement data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from references(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from references(value, (*path, i))
    elif isinstance(data, str):
        for match in MARKDOWN_REF.finditer(data):
            yield path, match[2], match[3]


def resolve(text: str, own_plan: str, page_of: Callable[[Target], str | None], url: Callable[[str], str]) -> str:
    """Turn marked references into links. ``page_of`` gives the target's source URI (None: not
    published); ``url`` the relative URL of a source URI from the page being rendered."""

    def address(raw_target: str, anchor: str | None) -> str | None:
        target = parse(raw_target, anchor, own_plan)
        page = page_of(target) if target else None
        return None if page is None else url(page) + (f"#{anchor}" if anchor else "")

    def markdown_link(match: re.Match) -> str:
        href = address(match[2], match[3])
        return f"{match[1]} *{NOT_PUBLISHED}*" if href is None else f"[{match[1]}]({href})"

    def html_link(match: re.Match) -> str:
        href = address(match[1], match[2])
        return f"{match[3]} <em>{NOT_PUBLISHED}</em>" if href is None else f'<a href="{href}">{match[3]}</a>'

    return HTML_REF.sub(html_link, MARKDOWN_REF.sub(markdown_link, text))
