"""The writing guide ("Skrivevejledning"): a Danish page for authors, generated from the models.

Nothing here lists fields by hand. Every field of every model is described from its pydantic
definition (YAML key, Danish title, required or not, description, what it accepts), and *where*
it appears is found by rendering: a synthetic instance of each model, in which every field
holds a unique marker, is rendered with the project's own templates (:class:`Renderer`) and
converted as the site converts it (:func:`pagehtml.convert`); the heading under which each
marker turns up is the field's place on the page. So the guide follows the templates (order,
headings, a future configurable outline) and the models, and cannot drift from either.

What Markdown a text field may hold is found the same way: samples of each construct are
converted and sanitised as every page is, and the guide says what survives.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from generator.corpus import Corpus, Visningsstatus
from generator.model.delaftale import GENERATIONS, STATUS_NAMES, DelaftaleBase, Rettelse
from generator.model.fields import ADRESSERING, PERSONOPLYSNING, REDAKTIONEL, TYPE_NAMES, VERSIONSOPLYSNING, field_kind
from generator.model.indicators import Maalinger
from generator.model.plan import Ordliste, Plan, PlanDokument
from generator.render.guidefields import describe_type, field_paths, outline_of_class, type_of
from generator.render.guideplaces import Placement, gyldig_til_is_inclusive, placements
from generator.render.html import convert

GUIDE_URI = "skrivevejledning.md"


# --------------------------------------------------------------------------- Markdown in text fields

#: Constructs authors ask about: (name, how it is written, the HTML tag that shows it).
MARKDOWN_SAMPLES = [
    ("Afsnit", "en tom linje mellem to afsnit", "Første afsnit.\n\nAndet afsnit.", "<p>"),
    ("Punktliste", "`- ` først på linjen", "- et punkt\n- et andet punkt", "<ul>"),
    ("Nummereret liste", "`1. ` først på linjen", "1. første\n2. anden", "<ol>"),
    ("Fed og kursiv", "`**fed**`, `*kursiv*`", "**fed** og *kursiv*", "<strong>"),
    ("Link", "`[tekst](https://eksempel.dk)`", "[tekst](https://eksempel.dk)", "<a href="),
    (
        "Tabel",
        "`| a | b |`, `| --- | --- |`, `| 1 | 2 |` på hver sin linje",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
        "<table",
    ),
    ("Linjeskift i et afsnit", "en `\\` eller to mellemrum sidst på linjen", "første linje\\\nanden linje", "<br"),
    ("Fodnote", "`tekst[^1]` og `[^1]: kilden` sidst i feltet", "tekst[^1]\n\n[^1]: kilden", "footnote"),
    ("Overskrift", "`### Overskrift`", "### Overskrift", "<h3"),
    (
        "Billede",
        '`![alternativ tekst](billede.png "billedtekst")` — billedfilen (PNG, JPEG, GIF eller WebP) '
        "ligger ved siden af YAML-filen, og den alternative tekst skal udfyldes",
        "![alternativ tekst](billede.png)",
        "<img",
    ),
    ("HTML-script", "`<script>`", "<script>alert(1)</script>", "<script"),
]


def markdown_support() -> list[tuple[str, str, bool]]:
    """(construct, how to write it, whether it survives conversion and sanitising)."""
    published = {"billede.png": "figurer/eksempel.png"}  # an image beside the YAML, as figures.py publishes it
    return [(name, how, tag in convert(sample, figures=published).html) for name, how, sample, tag in MARKDOWN_SAMPLES]


# --------------------------------------------------------------------------- the page


_KIND_NOTES = {
    ADRESSERING: "Vises ikke som tekst: bruges til sitets adresser og rækkefølge.",
    VERSIONSOPLYSNING: "Oplysning om versionen (ikke aftalens tekst): vises i versionens oplysninger og i historikken.",
    REDAKTIONEL: "Sitets hjælp til læseren, ikke aftalens tekst: kan tilføjes en offentliggjort version uden rettelse.",
    PERSONOPLYSNING: "Personoplysninger: vises kun, hvor aftalen nævner dem, aldrig i søgningen eller de åbne data.",
}


#: The descriptions the shared types give every field of theirs (said once, under "Felttyper").
_TYPE_DESCRIPTIONS = {t.description for t in TYPE_NAMES if t.prose and t.description}


def _trail(trail: tuple[str, ...]) -> str:
    if len(trail) == 2 and not trail[1].endswith(" (overskriften)"):
        return f"{trail[0]}, øverst under titlen"
    return " › ".join(trail[:1] + trail[2:] if len(trail) > 2 else trail)  # the page's title goes without saying


def _field_lines(cls: type[BaseModel], placement: Placement | None, skip: set[str] = frozenset()) -> list[str]:
    lines = []
    for path, info, kind in field_paths(cls):
        if path in skip:
            continue
        title = info.title or path.rsplit(".", 1)[-1]
        required = "skal udfyldes" if info.is_required() else "valgfri"
        parts = [f"- **`{path}`** — {title} · {required} · {describe_type(kind)}"]
        if info.description and info.description not in (title, *_TYPE_DESCRIPTIONS):
            parts.append(info.description)
        note = _KIND_NOTES.get(field_kind(info))
        if path.endswith("disposition[].afsnit"):
            owner = PlanDokument if path.startswith("dokument.") else cls
            note = "Standardafsnittenes nøgler, i standardrækkefølgen: " + ", ".join(
                f"`{section.key}`" for section in outline_of_class(owner)
            )
        if note:
            parts.append(note)
        holds_text = kind.kind not in ("model", "liste") or kind.item is not None and kind.item.kind != "model"
        if placement is not None and holds_text:
            trails = placement.found.get(path) or placement.found.get(path + "[]")
            if trails:
                parts.append("Vises: " + "; ".join(_trail(t) for t in trails[:3]))
            elif path.endswith("part") and kind.kind == "id":
                parts.append("Vises som partens navn (med link til partens side) samme sted som `navn`")
            elif kind.kind not in ("id", "valg", "heltal") and not note:
                parts.append("Vises ikke på siden")
        lines.append(". ".join(p.rstrip(".") for p in parts) + ".")
    return lines


def _outline_lines(placement: Placement) -> list[str]:
    lines = []
    for page, outline in placement.outlines.items():
        lines.append(f"**{page}:**")
        lines.append("")
        base = min((level for level, _, _ in outline), default=1)
        for level, label, paths in outline:
            indent = "    " * (level - base)
            fields = ", ".join(f"`{p}`" for p in dict.fromkeys(paths))
            lines.append(f"{indent}- {label}" + (f": {fields}" if fields else ""))
        lines.append("")
    return lines


def _example(
    corpus: Corpus | None, pick: Callable[[DelaftaleBase], Any], render: Callable[[Any, DelaftaleBase], list[str]]
) -> list[str]:
    """The first bundled agreement that has something (an activity with roles, a correction…),
    shown as YAML the way it is written."""
    if corpus is None:
        return []
    for agreement in corpus.agreements:
        found = pick(agreement.current.model)
        if found:
            source = agreement.current.source
            lines = render(found, agreement.current.model)
            return [
                f"Fra `{source.parent.parent.name}/{source.parent.name}/{source.name}`:",
                "",
                *("    " + line for line in lines),
                "",
            ]
    return []


def _yaml_lines(data: Any, indent: int = 0) -> list[str]:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=90, default_flow_style=False)
    return [" " * indent + line for line in text.splitlines()]


def writing_guide(templates_dir: Path, corpus: Corpus | None = None) -> str:
    """The whole guide as Markdown (for MkDocs' own Markdown, like the pages in docs/)."""
    placed = placements(templates_dir)
    lines = [
        *_introduction(),
        *_markdown_section(),
        *_dates_and_status(gyldig_til_is_inclusive()),
        *_corrections(corpus),
        *_generations(placed, corpus),
        *_other_files(placed, corpus),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _introduction() -> list[str]:
    """What the guide is, where the files live, and the field types (from their declarations)."""
    return [
        "# Skrivevejledning",
        "",
        "Sådan skrives en helhedsplan og dens delaftaler i YAML. Vejledningen er lavet ud fra sitets "
        "datamodel og skabeloner, hver gang sitet bygges, så den altid passer til det, sitet viser: "
        "hvert felt med sin nøgle, hvad det skal indeholde, og under hvilken overskrift og i hvilken "
        "rækkefølge det vises.",
        "",
        "Filerne ligger i mappen `agreements/`: én mappe pr. plan med `plan.yaml`, én mappe pr. delaftale "
        "med én fil pr. version (`ÅÅÅÅ-MM-DD.yaml`, opkaldt efter `gyldig_fra`) og eventuelt `maalinger.yaml`, "
        "og `agreements/indsatsomraader.yaml` med de fælles navne på indsatsområder. `delaftale validate` "
        "tjekker alle filer og siger på dansk, hvad der er galt, i hvilken fil og på hvilken linje.",
        "",
        "## Felttyper {: #felttyper }",
        "",
        *(f"- {t.prose}" for t in TYPE_NAMES if t.prose),
        "",
    ]


def _markdown_section() -> list[str]:
    """What Markdown a text field may hold, tried on the site's own conversion."""
    lines = [
        "### Markdown i tekstfelter {: #markdown }",
        "",
        "Tekstfelter skrives i Markdown (CommonMark med tabeller og fodnoter). Hver side renses bagefter, "
        "så kun tilladte elementer bliver stående. Sådan går det med det, forfattere oftest spørger om "
        "(afprøvet, hver gang vejledningen laves):",
        "",
    ]
    for name, how, survives in markdown_support():
        lines.append(f"- **{name}** ({how}): {'vises' if survives else 'fjernes — bruges ikke'}")
    return lines + [
        "",
        "Et enkelt linjeskift i et afsnit bliver til et mellemrum; en tom linje starter et nyt afsnit. "
        "En overskrift i et tekstfelt bliver en del af sidens indholdsfortegnelse; skriv hellere en "
        "mellemoverskrift med fed skrift (`**Mellemoverskrift**`).",
        "",
        "Henvisninger til andre delaftaler skrives som links med målet `aftale:`: "
        "`[aktiviteten](aftale:<delaftale>#<aktivitet>)` i samme plan eller "
        "`aftale:<plan>/<delaftale>#<aktivitet>` i en anden plan.",
        "",
    ]


def _dates_and_status(inclusive: bool) -> list[str]:
    """A version's period (whether ``gyldig_til`` counts, asked of the corpus) and its statuses."""
    lines = [
        "## Datoer og perioder {: #datoer }",
        "",
        "- `gyldig_fra` er den første dag, versionen gælder.",
        "- `gyldig_til` er den sidste dag, versionen gælder: "
        + (
            "dagen regnes med (versionen er gældende hele dagen)."
            if inclusive
            else "versionen er udløbet på selve dagen."
        ),
        "- Perioderne for versioner af samme delaftale må ikke overlappe. `delaftale ny-version` sætter "
        "den forrige versions `gyldig_til` til dagen før den nye versions `gyldig_fra`.",
        "- Den gældende version er den nyeste godkendte version, hvis `gyldig_fra` er nået.",
        "",
        "## Status {: #status }",
        "",
        "Feltet `status` fortæller, hvor langt versionen er:",
        "",
    ]
    status_info = DelaftaleBase.model_fields["status"]
    for value in type_of(status_info, DelaftaleBase, "status").choices:
        lines.append(
            f"- `{value}` ({STATUS_NAMES[value]})"
            + (" — standard, når feltet udelades" if value == status_info.default else "")
        )
    lines += [
        "",
        f"{status_info.description}. Oversigterne viser hver versions status på dagen: "
        + ", ".join(f"*{s}*" for s in Visningsstatus)
        + ".",
        "",
    ]
    return lines


def _corrections(corpus: Corpus | None) -> list[str]:
    return [
        "## Rettelser {: #rettelser }",
        "",
        "En offentliggjort, godkendt version ændres ikke i det stille: bygningen afviser en ændring af "
        "dens tekst, periode eller godkendelse uden en ny, dateret rettelse. Skriv hvad der er rettet, "
        "og hvorfor; det vises på versionens side og i historikken. Ændrer noget sig fra en dato, så lav "
        "i stedet en ny version (`delaftale ny-version`).",
        "",
        *_field_lines(Rettelse, None),
        "",
        *_example(
            corpus,
            lambda m: m.rettelser,
            lambda found, m: _yaml_lines({"rettelser": [r.model_dump(mode="json") for r in found]}),
        ),
    ]


def _generations(placed: dict[str, tuple[Placement, Any]], corpus: Corpus | None) -> list[str]:
    """Each template generation: its own fields, its page's outline and every field."""
    lines = [
        "## Delaftaler: skabelonerne {: #skabeloner }",
        "",
        "Feltet `skabelon` siger, hvilken af Landsbyggefondens skabeloner aftalen følger. Skabelonen "
        "bestemmer standardteksterne, overskrifterne og felterne. Alle skabeloner har de fælles dele: "
        "parter, aktiviteter med ansvars- og rollefordeling, periode og godkendelse.",
        "",
        "Under hver skabelon står først sidens opbygning (overskrifterne i den rækkefølge, siden viser "
        "dem, og de felter, der står under hver), så alle felter. ‹…› står for feltets indhold.",
        "",
    ]
    for skabelon, cls in GENERATIONS.items():
        placement, _ = placed[skabelon]
        own = [name for name in cls.model_fields if name not in DelaftaleBase.model_fields and name != "skabelon"]
        lines += [
            f"### `{skabelon}` {{: #{skabelon} }}",
            "",
            "Felterne ud over dem, alle skabeloner har: " + ", ".join(f"`{n}`" for n in own) + ".",
            "",
            "#### Sidens opbygning {: #" + skabelon + "-opbygning }",
            "",
            *_outline_lines(placement),
            "#### Felter {: #" + skabelon + "-felter }",
            "",
            *_field_lines(cls, placement),
            "",
        ]
    lines += _examples(corpus)
    return lines


def _other_files(placed: dict[str, tuple[Placement, Any]], corpus: Corpus | None) -> list[str]:
    """plan.yaml, indsatsomraader.yaml and maalinger.yaml."""
    placement, _ = placed["plan"]
    lines = [
        "## plan.yaml {: #plan }",
        "",
        "Planen: navn, kommune, parter og (for en helhedsplan skrevet som ét dokument, 2013) planens egne "
        "afsnit under `dokument:`. Giv hver organisation, der er part i en aftale eller har en rolle, en "
        "post under `parter` med et id, og henvis til den med `part: <id>`: så får den en side med alle "
        "sine opgaver.",
        "",
        "### Sidens opbygning {: #plan-opbygning }",
        "",
        *_outline_lines(placement),
        "### Felter {: #plan-felter }",
        "",
        *_field_lines(Plan, placement),
        "",
        "## indsatsomraader.yaml {: #indsatsomraader }",
        "",
        "De fælles navne på indsatsområder. Hver delaftales `indsatsomraade` skal svare til et af dem "
        '(store og små bogstaver og "&"/"og" er ligegyldige), så oversigten over et indsatsområde '
        "samler det samme område fra alle planer. Skriver en aftale navnet på en anden måde, så tilføj "
        "den måde under `varianter`.",
        "",
        *_field_lines(Ordliste, None),
        "",
        *_vocabulary_example(corpus),
    ]
    placement, _ = placed["maalinger"]
    lines += [
        "## maalinger.yaml {: #maalinger }",
        "",
        "Målinger af en delaftales indikatorer over tid, i delaftalens mappe ved siden af versionerne. "
        "En måling laver ingen ny version. Giv indikatoren et `id` i delaftalen, og henvis til det med "
        "`indikator`. Målingerne vises på den gældende delaftales side under tabellen med delmål og "
        "indikatorer.",
        "",
        *_field_lines(Maalinger, placement),
        "",
    ]
    return lines


def _examples(corpus: Corpus | None) -> list[str]:
    roles = _example(
        corpus,
        lambda m: next((a for a in m.aktiviteter if getattr(a, "roller", None)), None),
        lambda a, m: _yaml_lines(
            {
                "aktiviteter": [
                    {
                        "id": a.id,
                        "navn": a.navn,
                        "…": "…",
                        "roller": [
                            r.model_dump(mode="json", exclude_defaults=True, exclude={"kontaktpersoner"})
                            for r in a.roller[:2]
                        ],
                    }
                ]
            }
        ),
    )
    parties = _example(
        corpus,
        lambda m: m.parter[:1] if m.parter else None,
        lambda groups, m: _yaml_lines(
            {
                "parter": [
                    g.model_dump(
                        mode="json", exclude_defaults=True, exclude={"deltagere": {"__all__": {"kontaktpersoner"}}}
                    )
                    for g in groups
                ]
            }
        ),
    )
    if not (roles or parties):
        return []
    return [
        "### Eksempler fra sitets aftaler {: #eksempler }",
        "",
        "Parter (kontaktpersoner er udeladt her):",
        "",
        *parties,
        "Ansvars- og rollefordeling i en aktivitet (`part:` henviser til planens parter; `betegnelse` er "
        "overskriften, som aftalen skriver den):",
        "",
        *roles,
    ]


def _vocabulary_example(corpus: Corpus | None) -> list[str]:
    names = list((corpus.area_names if corpus else {}).items())
    area_id, name = names[0] if names else ("tryghed-og-trivsel", "Tryghed og trivsel")
    return [
        "Eksempel (den første post i sitets liste, med en variant):",
        "",
        *(
            "    " + line
            for line in _yaml_lines(
                {"indsatsomraader": [{"id": area_id, "navn": name, "varianter": [f"Indsatsområdet {name.lower()}"]}]}
            )
        ),
        "",
    ]
