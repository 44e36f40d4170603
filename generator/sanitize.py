"""Allow-list sanitising of the HTML generated from agreement text.

Authors may type HTML into any Markdown field. Every generated page is cleaned after
Markdown conversion with nh3 (the Rust ``ammonia`` sanitiser): what is not on the list below
is removed, so no ``<script>``, event-handler attribute, ``javascript:`` URL or ``<iframe>``
survives, whatever the author typed. Images are allowed only as the site's own figures
(figures.py gives them their address before this step): a ``src`` with a scheme or a host is
dropped, so a page requests nothing from other hosts.
"""

from __future__ import annotations

import re

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "mark", "ol", "p",
    "pre", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul", "wbr",
}
GENERIC_ATTRIBUTES = {"class", "id", "title", "role", "aria-label", "aria-hidden", "tabindex", "lang",
                      "data-search-exclude"}  # keeps personal data out of the search index
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "loading"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "data-label"},  # a cell's column name, shown when tables reflow on phones
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


#: An address on another host (a scheme, or //host): never requested by a page (figures.py says why to the author).
REMOTE = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|[/\\]{2})")


def _local_images_only(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and REMOTE.match(value):
        return None
    return value


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        generic_attribute_prefixes=None,
        attributes={"*": GENERIC_ATTRIBUTES, **ATTRIBUTES},
        url_schemes=URL_SCHEMES,
        link_rel=None,  # internal links must stay plain; external ones get no target anyway
        strip_comments=True,
        attribute_filter=_local_images_only,
    )
