"""The published record: an approved version that has been published keeps what it said."""

from __future__ import annotations

from generator.base.problems import Problem
from generator.model import fingerprints
from generator.model.delaftale import DelaftaleBase, Dokumentstatus
from generator.source import figures
from generator.source.sourcefiles import Sources


def check_published_versions(sources: Sources) -> list[Problem]:
    """An approved version that has been published keeps what it said: a change to its text,
    period or approval needs a dated correction note (``rettelser``), shown on its page."""
    problems = []
    for item in sources.versions:
        model: DelaftaleBase = item.model  # type: ignore[assignment]
        entry = sources.published.get(fingerprints.version_url(model))
        if entry is None or entry.status is not Dokumentstatus.GODKENDT:
            continue
        changed = fingerprints.changed_fields(entry, model, figures.of_model(model, item.path))
        if changed and len(model.rettelser) <= entry.rettelser:
            for name in changed:
                if name.startswith(fingerprints.FIGURE_PREFIX):  # an image beside the YAML: the file, not a field
                    src = name.removeprefix(fingerprints.FIGURE_PREFIX)
                    line = (
                        next((n for n, text in enumerate(item.doc.text.splitlines(), 1) if f"]({src}" in text), None)
                        if item.doc
                        else None
                    )
                    problems.append(
                        item.at(
                            (),
                            (
                                f"versionen fra {model.gyldig_fra.isoformat()} er offentliggjort og viser billedet '{src}', som er "
                                "ændret (eller fjernet) siden — en offentliggjort version ændres ikke i det stille: læg det gamle "
                                "billede tilbage, og giv det nye et nyt filnavn i en ny version (delaftale ny-version), eller "
                                "tilføj en rettelse under 'rettelser:'"
                            ),
                            line=line,
                            field="figurer",
                        )
                    )
                    continue
                problems.append(
                    item.at(
                        (name,) if name in model.model_fields_set else (),
                        (
                            f"versionen fra {model.gyldig_fra.isoformat()} er offentliggjort, og '{name}' er ændret siden — "
                            "en offentliggjort version ændres ikke i det stille: lav en ny version (delaftale ny-version), "
                            "eller tilføj en rettelse under 'rettelser:' (dato og hvad der er rettet), som vises på versionens side"
                        ),
                        field=name,
                    )
                )
    return problems
