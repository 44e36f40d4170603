"""Notes, not errors: what an author may want to change (a free name that is a registered
party, an HTML image left out, contact data or invisible characters in running text)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

from generator.base import textscan
from generator.base.problems import Problem
from generator.model.fields import PERSONOPLYSNING, field_kind
from generator.model.parties import PartReference
from generator.model.schema import model_classes
from generator.model.walk import texts, walk
from generator.source import figures
from generator.source.checks.passes import per_file, per_version, valid_files
from generator.source.sourcefiles import SourceFile, Sources, normal


@per_version
def note_known_party_names(sources: Sources) -> list[Problem]:
    """A free name (``navn:``) that is a registered party of the plan: worth linking with ``part:``."""
    notes = []
    for item in sources.versions:
        plan = sources.plans.get(item.model.plan)  # type: ignore[union-attr]
        if plan is None:
            continue
        registered = {normal(p.navn): p for p in plan.model.parter}  # type: ignore[union-attr]
        for loc, model in walk(item.model):  # type: ignore[arg-type]
            if isinstance(model, PartReference) and model.navn and normal(model.navn) in registered:
                party = registered[normal(model.navn)]
                notes.append(
                    item.at(
                        (*loc, "navn"),
                        f"'{model.navn}' er en kendt part i planen ({party.navn}) — skriv "
                        f"'part: {party.id}' i stedet for 'navn:', så opgaverne kommer med "
                        "på partens side",
                    )
                )
    return notes


@per_file
def note_html_images(sources: Sources) -> list[Problem]:
    """An ``<img>`` (or ``<image>``) typed into a text is left out of the page: the author hears why (figures.py)."""
    notes = []
    for item in valid_files(sources):
        if item.kind in ("plan", "version") and item.doc is not None and figures.html_image(item.doc.text):
            for loc, text in texts(item.model):  # type: ignore[arg-type]
                note = figures.html_image_note(text)
                if note:
                    written = figures.html_image(text)
                    notes.append(item.at(loc, note, line=item.doc.line_of_text(loc, written)))  # type: ignore[arg-type]
    return notes


_ESCAPE = re.compile(r"\\[xuU]")  # a YAML escape in double quotes ("\u202e") can write any character


def _files_holding(sources: Sources, found: Callable[[str], object]) -> Iterator[SourceFile]:
    """Valid files whose text may hold what ``found`` finds: only these are walked."""
    for item in valid_files(sources):
        if item.doc is not None and (found(item.doc.text) or _ESCAPE.search(item.doc.text)):
            yield item


@functools.cache
def _personal_fields() -> frozenset[str]:
    """Names of the fields the models mark as personal data (contact persons)."""
    return frozenset(
        name for c in model_classes() for name, info in c.model_fields.items() if field_kind(info) is PERSONOPLYSNING
    )


@per_file
def note_contact_data(sources: Sources) -> list[Problem]:
    """An e-mail address or a phone number typed into running text: shown on the page as the
    agreement writes it, left out of the search index and the open data (textscan.mask); the
    author hears of it, since it may be a private person's."""
    personal = _personal_fields()
    notes = []
    for item in _files_holding(sources, textscan.contact_data):
        for loc, text in texts(item.model):  # type: ignore[arg-type]
            if personal.intersection(p for p in loc if isinstance(p, str)):
                continue  # contact persons: personal data by their field, kept out already
            for found in dict.fromkeys(f.text for f in textscan.contact_data(text)):
                what = "e-mailadressen" if "@" in found else "telefonnummeret"
                notes.append(
                    item.at(
                        loc,
                        (
                            f"teksten indeholder {what} '{found}' — siden viser den, som aftalen skriver den, men søgningen og "
                            "de åbne data udelader den (medmindre mask_contact_data er slået fra i mkdocs.yml); hører den til en "
                            "person, så skriv den under personens 'kontaktpersoner:' (og slet den, hvis den er privat)"
                        ),
                        line=item.doc.line_of_text(loc, found),
                    )
                )  # type: ignore[union-attr]
    return notes


@per_file
def note_invisible_characters(sources: Sources) -> list[Problem]:
    """A direction control or a zero-width character in a text (ids and names refuse them,
    models.py): invisible in the editor, but it changes what the page shows or what matches."""
    notes = []
    for item in _files_holding(sources, lambda text: next(textscan.invisible(text), None)):
        for loc, text in texts(item.model):  # type: ignore[arg-type]
            for char in textscan.invisible(text):
                effect = (
                    "som ændrer den rækkefølge, teksten efter det vises i"
                    if char in textscan.BIDI_CONTROLS
                    else "som får et ord til at se ud som et andet uden at være det (fx i søgningen)"
                )
                notes.append(
                    item.at(
                        loc,
                        f"teksten indeholder det usynlige tegn {textscan.describe(char)}, {effect} "
                        f"— {textscan.HOW_TO_REMOVE}",
                        line=item.doc.line_of_text(loc, char),
                    )
                )  # type: ignore[union-attr]
    return notes
