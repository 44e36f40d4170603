"""Allow-list sanitising of the HTML generated from agreement text.

Authors may type HTML into any Markdown field. Every generated page is cleaned after
Markdown conversion with nh3 (the Rust ``ammonia`` sanitiser): what is not on the list below
is removed, so no ``<script>``, event-handler attribute, ``javascript:`` URL or ``<iframe>``
survives, whatever the author typed. Images are allowed only as the site's own figures
(figures.py gives them their address before this step): a ``src`` with a scheme or a host is
dropped, so a page requests nothing from other hosts.

The page's own HTML (the templates') carries the site's classes and ids (``versionsstatus``,
``deling``, ``fodnote-…``); an author's HTML may not, or a text could pass for the site (a fake
status banner) or take over its anchors. The page cannot tell the two apart after rendering, so
the author's texts lose theirs where they enter the data model (:func:`author_html`).
"""

from __future__ import annotations

import re

import nh3

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "wbr",
}
GENERIC_ATTRIBUTES = {
    "class",
    "id",
    "title",
    "role",
    "aria-label",
    "aria-hidden",
    "tabindex",
    "lang",
    "data-search-exclude",
}  # keeps personal data out of the search index
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "loading"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "data-label"},  # a cell's column name, shown when tables reflow on phones
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


#: An address on another host (a scheme, or //host): never requested by a page (figures.py says why to the author).
#: Read as a browser reads it (WHATWG URL standard): control characters and spaces before it are
#: dropped and a tab, line feed or carriage return anywhere is removed, so ``ht&#9;tps://`` and
#: ``/&#10;/host`` are remote too.
REMOTE = re.compile(r"^[\x00-\x20\s]*(?:[a-zA-Z][a-zA-Z0-9+.\-\t\n\r]*:|[/\\][\t\n\r]*[/\\])")

# --------------------------------------------------------------------------- the author's own HTML

#: Attributes an author's HTML may not set: the site's styling and anchors are the templates' own.
SITE_ATTRIBUTES = ("class", "id")
_TAG_START = re.compile(r"<[a-zA-Z]")
_SPACE = "\t\n\f\r "  # what separates a tag's parts in HTML (the parser reads \r as \n)
# A name that an HTML parser could read as one of SITE_ATTRIBUTES wherever it stands: after a space,
# a slash or a closing quote, before "=" (or the end of the text, where the next text could go on).
_ANY_SITE_ATTRIBUTE = re.compile(
    rf"(?:^|(?<=[{_SPACE}/\"']))(?:{'|'.join(SITE_ATTRIBUTES)})(?=[{_SPACE}]*(?:=|$))", re.I
)


def author_html(text: str) -> str:
    """``text`` (an author's Markdown, which may hold HTML) without the attributes the site keeps
    for itself: removed from every tag, and any other place a parser could read one as such
    (inside a comment, a tag left open, code) made plain text by writing its first letter as a
    character reference: the same letter on the page, never an attribute's name."""
    if "<" in text:
        text = _without_site_attributes(text)
    if "=" in text or text.rstrip().lower().endswith(SITE_ATTRIBUTES):
        text = _ANY_SITE_ATTRIBUTE.sub(lambda m: f"&#{ord(m[0][0])};{m[0][1:]}", text)
    return text


def _without_site_attributes(text: str) -> str:
    """Every start tag in ``text`` without SITE_ATTRIBUTES, read as the HTML tokenizer reads a
    tag (html5ever, which nh3 and the browsers use): names lowercased, values quoted or not."""
    out, done = [], 0
    for match in _TAG_START.finditer(text):
        if match.start() < done:
            continue  # inside the previous tag (an attribute's value)
        tag = _tag_attributes(text, match.start() + 1)
        if tag is None:
            break  # a tag open to the end: its attributes are the catch-all's (author_html)
        end, attributes = tag
        for name, start, stop in attributes:
            if name in SITE_ATTRIBUTES:
                while start > done and text[start - 1] in _SPACE:
                    start -= 1
                out.append(text[done:start])
                done = stop
        out.append(text[done:end])
        done = end
    return "".join(out) + text[done:]


def _tag_attributes(text: str, i: int) -> tuple[int, list[tuple[str, int, int]]] | None:
    """From just after a tag's ``<``: the index after its ``>`` and its attributes as
    (lowercased name, start, end); None when the text ends inside the tag."""
    n = len(text)
    while i < n and text[i] not in _SPACE + "/>":  # the tag's name
        i += 1
    attributes = []
    while i < n:
        char = text[i]
        if char == ">":
            return i + 1, attributes
        if char in _SPACE or char == "/":
            i += 1
            continue
        start = i
        i += 1  # a name may start with "=" (a parse error the tokenizer keeps as a name)
        while i < n and text[i] not in _SPACE + "/>=":
            i += 1
        name, stop = text[start:i].lower(), i
        while i < n and text[i] in _SPACE:
            i += 1
        if i < n and text[i] == "=":
            i += 1
            while i < n and text[i] in _SPACE:
                i += 1
            if i < n and text[i] in "\"'":
                close = text.find(text[i], i + 1)
                if close < 0:
                    return None
                i = close + 1
            else:
                while i < n and text[i] not in _SPACE + ">":
                    i += 1
            stop = i
        attributes.append((name, start, stop))
    return None


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
