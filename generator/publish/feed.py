"""An Atom feed of published versions, newest first, so partners can follow changes.

Built from the corpus alone (no clock): the feed's `updated` is its newest entry's date, so
two builds of the same sources give the same bytes. With the site's public address
(``site_url``) every link is absolute, as feed readers need; without it they are relative to
the feed (a preview or a test build).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from generator.corpus import Agreement, Corpus, Version
from generator.model.delaftale import Dokumentstatus
from generator.model.fields import suggest_id

ATOM = "http://www.w3.org/2005/Atom"
FEED_URI = "feed.xml"


def _when(version: Version) -> date:
    """A version is news when it was approved (or, failing that, when it takes effect)."""
    return version.model.godkendt.dato if version.model.godkendt else version.model.gyldig_fra


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(corpus: Corpus, site_name: str, site_url: str | None = None) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "da"})
    base = site_url.rstrip("/") + "/" if site_url else ""
    entries: list[tuple[date, Agreement, Version]] = sorted(
        ((_when(v), a, v) for a, v in corpus.published_versions()),
        key=lambda item: (item[0], item[2].key, item[1].src_uri),
        reverse=True,
    )

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    add(feed, "title", f"{site_name}: nye og reviderede delaftaler")
    add(feed, "id", f"tag:delaftaler,2026:{suggest_id(site_name)}")
    add(feed, "updated", _stamp(entries[0][0]) if entries else "1970-01-01T00:00:00Z")
    add(feed, "link", href=base or "./", rel="alternate")
    add(feed, "link", href=base + FEED_URI, rel="self")
    add(add(feed, "author"), "name", site_name)
    for when, agreement, version in entries:
        model = version.model
        entry = add(feed, "entry")
        hearing = " – i høring" if model.status is Dokumentstatus.I_HOERING else ""
        add(
            entry,
            "title",
            f"{agreement.plan.plan.navn}: {model.indsatsomraade} (version fra {model.gyldig_fra.isoformat()}{hearing})",
        )
        add(entry, "id", f"tag:delaftaler,2026:{agreement.plan.plan.id}/{agreement.id}/{version.key}")
        add(entry, "updated", _stamp(when))
        add(entry, "link", href=base + agreement.version_src_uri(version).removesuffix("index.md"), rel="alternate")
        summary = f"Gælder {model.gyldig_fra.isoformat()} – {model.gyldig_til.isoformat()}."
        if model.godkendt:
            summary += f" Godkendt af {model.godkendt.af} {model.godkendt.dato.isoformat()}."
        if model.aendringsnote:
            summary += f" {model.aendringsnote}"
        add(entry, "summary", summary)
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"
