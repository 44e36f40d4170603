"""What recognition hands back, and what every generation's draft shares: the version's head
(ids, focus area, draft status, period) and the municipality the document names."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from generator.importer.document import Block
from generator.importer.yamlwrite import Tjek
from generator.model.fields import suggest_id

#: name of a focus area as a document writes it -> the vocabulary's id (None: not in it)
AreaLookup = Callable[[str], "str | None"]


@dataclass
class Draft:
    """What recognition found: the plan (when new) and one version per delaftale, with its report."""

    plan: dict
    versions: list[dict]
    report: list[str] = field(default_factory=list)


def version_head(plan: str, skabelon: str, area: str, areas: AreaLookup, period, written: str) -> dict:
    """What every imported version starts with: ids, the focus area (its vocabulary id when the
    vocabulary knows the name), draft status and the period as read, each guess marked."""
    known = areas(area)
    return {
        "id": known or suggest_id(area),
        "plan": plan,
        "skabelon": skabelon,
        "indsatsomraade": area if known else Tjek(area, "indsatsområdet står ikke i indsatsomraader.yaml"),
        "status": Tjek("udkast", "importeret: tjek hele aftalen, og slet så denne linje"),
        "gyldig_fra": Tjek(period[0].isoformat(), f"læst af '{written.strip()}'"),
        "gyldig_til": period[1].isoformat(),
    }


def municipality(blocks: list[Block]) -> str:
    """The municipality the document names most often ('Brøndby Kommune')."""
    counts: dict[str, int] = {}
    for block in blocks:
        texts = [block.text] + [cell for row in block.rows for cell in row]
        for text in texts:
            for found in re.findall(r"\b([A-ZÆØÅ][a-zæøå]+s? Kommune)\b", text):
                name = re.sub(r"s Kommune$", " Kommune", found) if not found.startswith("Københavns") else found
                counts[name] = counts.get(name, 0) + 1
    return max(counts, key=counts.get) if counts else "Ukendt Kommune"
