"""Open data: every published version as JSON, tables across all plans as CSV, and a
Frictionless Data Package describing them. Plain functions over the corpus, no MkDocs.

Addresses (all beside the pages, so they follow the same scheme as the site):

- ``/<plan>/<delaftale>/<gyldig_fra>/delaftale.json``  one version, forever
- ``/<plan>/<delaftale>/delaftale.json``               the current version (follows new versions)
- ``/data/schema/delaftale.schema.json``               the JSON Schema the files point to
- ``/data/indikatorer.csv``, ``aktiviteter.csv``, ``roller.csv``, ``datapackage.json``

The JSON is the validated model itself (``model_dump``), so a field added to the models is in
the data without a change here. Personal data (fields marked PERSONOPLYSNING: contact persons)
is never in a data file, whatever ``show_contacts`` says: data files are copied and kept
where the site has no say over them. For the same reason an e-mail address or a phone number
typed into running text is replaced by a placeholder (textscan.mask), unless the plugin's
``mask_contact_data`` is off.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from generator.base.textscan import mask
from generator.corpus import Agreement, Corpus, Version
from generator.model.delaftale import DelaftaleBase
from generator.model.fields import PERSONOPLYSNING, field_kind
from generator.model.indicators import INDICATOR_COLUMNS
from generator.model.schema import delaftale_schema, plan_schema
from generator.render.renderer import page_linker

DATA_FOLDER = "data"
SCHEMA_URI = f"{DATA_FOLDER}/schema/delaftale.schema.json"
PLAN_SCHEMA_URI = f"{DATA_FOLDER}/schema/plan.schema.json"
PACKAGE_URI = f"{DATA_FOLDER}/datapackage.json"
DATA_PAGE = f"{DATA_FOLDER}/index.md"
VERSION_FILE = "delaftale.json"

#: Licences the config may name: SPDX id -> (Danish title, address of its text).
LICENSES = {
    "CC0-1.0": (
        "CC0 1.0 Universal (frigivet til det offentlige domæne)",
        "https://creativecommons.org/publicdomain/zero/1.0/deed.da",
    ),
    "CC-BY-4.0": (
        "Creative Commons Navngivelse 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/deed.da",
    ),
}
DEFAULT_LICENSE = "CC0-1.0"

# Danish Excel opens a CSV file correctly only when it starts with a byte-order mark (else it
# reads UTF-8 as Windows-1252: "BrÃ¸ndby") and is separated by semicolons (the comma is the
# decimal separator in Danish, so Excel's list separator is ';').
CSV_ENCODING = "utf-8-sig"
CSV_DELIMITER = ";"


# --------------------------------------------------------------------------- versions as JSON


def without_personal_data(model: BaseModel, data: dict) -> dict:
    """``data`` (the model's dump) without the fields the models mark as personal data."""
    for name, info in type(model).model_fields.items():
        if name not in data:
            continue
        if field_kind(info) is PERSONOPLYSNING:
            del data[name]
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            without_personal_data(value, data[name])
        elif isinstance(value, list):
            for item, dumped in zip(value, data[name]):
                if isinstance(item, BaseModel):
                    without_personal_data(item, dumped)
    return data


def masked(data: Any) -> Any:
    """``data`` with the contact data in every text masked. Every string can be: an id, a date or
    an amount as the data writes it ('3100', '0,5') has no space and no '@', so none is taken for
    a phone number or an address (textscan)."""
    if isinstance(data, str):
        return mask(data)
    if isinstance(data, dict):
        return {key: masked(value) for key, value in data.items()}
    if isinstance(data, list):
        return [masked(value) for value in data]
    return data


def version_document(model: DelaftaleBase, schema_address: str, mask_contacts: bool = True) -> dict:
    """One version as data: ``$schema`` first, then the model's fields as the YAML has them
    (``mask_contacts``: with contact data in running text masked)."""
    data = without_personal_data(model, model.model_dump(mode="json"))
    return {"$schema": schema_address, **(masked(data) if mask_contacts else data)}


def data_schema() -> dict:
    """The published JSON Schema of a data file: the authors' schema (derived from the models)
    plus the ``$schema`` key every data file starts with."""
    schema = delaftale_schema()
    pointer = {"type": "string", "title": "Skema", "description": "Adressen på dette JSON Schema"}
    for ref in schema["oneOf"]:
        definition = schema["$defs"][ref["$ref"].rsplit("/", 1)[1]]
        definition["properties"] = {"$schema": pointer, **definition["properties"]}
    return schema


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


@functools.cache
def data_schema_text() -> str:
    """:func:`data_schema` as published: the same in every build of a process (it comes from the
    models alone), and a twentieth of a preview's rebuild to derive."""
    return dumps(data_schema())


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless field type
    description: str  # Danish


VERSION_COLUMNS = [
    Column("plan", "string", "Helhedsplanens id (stabilt; står i webadressen)"),
    Column("helhedsplan", "string", "Helhedsplanens navn"),
    Column("kommune", "string", "Kommunen"),
    Column("delaftale", "string", "Delaftalens id i planen (stabilt; står i webadressen)"),
    Column("indsatsomraade", "string", "Indsatsområdet, som delaftalen skriver det"),
    Column("gyldig_fra", "date", "Versionen gælder fra"),
    Column("gyldig_til", "date", "Versionen gælder til"),
    Column(
        "status",
        "string",
        "Versionens status på datoen for udtrækket: gældende, kommende, i høring, udløbet eller erstattet",
    ),
]

TABLES: dict[str, tuple[str, str, list[Column]]] = {
    "indikatorer": (
        "Indikatorer",
        "Én række pr. indikator pr. offentliggjort version af en delaftale",
        [
            *VERSION_COLUMNS,
            *(Column(c.csv, c.csv_type, c.description) for c in INDICATOR_COLUMNS),
            Column("adresse", "string", "Adressen på versionens side"),
        ],
    ),
    "aktiviteter": (
        "Aktiviteter",
        "Én række pr. aktivitet pr. offentliggjort version af en delaftale",
        [
            *VERSION_COLUMNS,
            Column("aktivitet_id", "string", "Aktivitetens stabile id (anker på siden)"),
            Column("aktivitet", "string", "Aktivitetens navn"),
            Column("formaal", "string", "Aktivitetens formål (Markdown)"),
            Column("adresse", "string", "Adressen på aktiviteten på versionens side"),
        ],
    ),
    "roller": (
        "Roller og opgaver",
        "Én række pr. opgave (eller rolletekst) pr. part pr. aktivitet pr. offentliggjort version af en delaftale",
        [
            *VERSION_COLUMNS,
            Column("aktivitet_id", "string", "Aktivitetens stabile id"),
            Column("aktivitet", "string", "Aktivitetens navn"),
            Column("part_id", "string", "Partens id i planen (tomt for en part, der ikke står i planens parter)"),
            Column("part", "string", "Partens navn"),
            Column("opgave", "string", "Opgaven, eller rollens tekst, hvis rollen ikke har en liste af opgaver"),
            Column("adresse", "string", "Adressen på aktiviteten på versionens side"),
        ],
    ),
    "maalinger": (
        "Målinger af indikatorer",
        "Én række pr. måling af en indikator (fra maalinger.yaml; uafhængigt af versionerne)",
        [
            Column("plan", "string", "Helhedsplanens id"),
            Column("helhedsplan", "string", "Helhedsplanens navn"),
            Column("kommune", "string", "Kommunen"),
            Column("delaftale", "string", "Delaftalens id i planen"),
            Column("indsatsomraade", "string", "Indsatsområdet, som den gældende version skriver det"),
            Column("indikator_id", "string", "Indikatorens stabile id (samme i alle versioner)"),
            Column("indikator", "string", "Indikatoren, som den nyeste version med id'et skriver den"),
            Column("tidspunkt", "string", "Hvornår der er målt: årstal (ÅÅÅÅ) eller dato (ÅÅÅÅ-MM-DD)"),
            Column("vaerdi", "number", "Værdien som tal (decimalkomma); tom, når resultatet er en tekst"),
            Column("enhed", "string", "Enheden for værdien, fx %"),
            Column("tekst", "string", "Resultatet som tekst, når det ikke er et tal"),
            Column("kilde", "string", "Hvor tallet kommer fra"),
            Column("note", "string", "Note til målingen"),
            Column("maal", "number", "Målet for indikatoren (decimalkomma); tomt uden mål"),
            Column("maal_aar", "integer", "Året målet skal være nået"),
            Column("adresse", "string", "Adressen på delaftalens side"),
        ],
    ),
}


def _csv_number(value) -> str:
    """A number as Danish Excel reads it: decimal comma, no thousands separator."""
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def page_uri(agreement: Agreement, version: Version) -> str:
    """The page that shows the version (the undated one for the current version)."""
    return agreement.src_uri if not agreement.own_page(version) else agreement.version_src_uri(version)


def _version_cells(agreement: Agreement, version: Version) -> dict[str, Any]:
    model = version.model
    plan = agreement.plan.plan
    return {
        "plan": plan.id,
        "helhedsplan": plan.navn,
        "kommune": plan.kommune,
        "delaftale": agreement.id,
        "indsatsomraade": model.indsatsomraade,
        "gyldig_fra": model.gyldig_fra.isoformat(),
        "gyldig_til": model.gyldig_til.isoformat(),
        "status": agreement.status_of(version),
    }


def table_rows(corpus: Corpus, address) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table, each by its columns' names; ``address(uri)`` is the public address
    of a page."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for agreement, version in corpus.published_versions():
        model, cells = version.model, _version_cells(agreement, version)
        page = address(page_uri(agreement, version))
        parties = agreement.plan.parties
        for goal in getattr(model, "delmaal", []):
            for indicator in goal.indikatorer:
                own = {c.csv: c.value(goal, indicator) or "" for c in INDICATOR_COLUMNS}
                rows["indikatorer"].append({**cells, **own, "adresse": page})
        for activity in model.aktiviteter:
            anchor = f"{page}#{activity.id}"
            named = {**cells, "aktivitet_id": activity.id, "aktivitet": activity.navn}
            rows["aktiviteter"].append({**named, "formaal": activity.formaal or "", "adresse": anchor})
            for group in getattr(activity, "alle_rollegrupper", []):
                for role in group.roller:
                    name = parties[role.part].navn if role.part else role.navn
                    for duty in role.opgaver or [role.tekst]:
                        party = {"part_id": role.part or "", "part": name, "opgave": duty}
                        rows["roller"].append({**named, **party, "adresse": anchor})
    rows["maalinger"] = _measurement_rows(corpus, address)
    return rows


def _measurement_rows(corpus: Corpus, address) -> list[dict[str, Any]]:
    rows = []
    for agreement in corpus.agreements:
        plan, model = agreement.plan.plan, agreement.current.model
        texts = {
            i.id: i.tekst
            for v in agreement.versions
            if v.published
            for goal in getattr(v.model, "delmaal", [])
            for i in goal.indikatorer
            if i.id
        }  # newest wins
        for ident, series in sorted(agreement.measurements.items()):
            for m in series.maalinger:
                when = m.tid.isoformat() if hasattr(m.tid, "isoformat") else str(m.tid)
                rows.append(
                    {
                        "plan": plan.id,
                        "helhedsplan": plan.navn,
                        "kommune": plan.kommune,
                        "delaftale": agreement.id,
                        "indsatsomraade": model.indsatsomraade,
                        "indikator_id": ident,
                        "indikator": texts.get(ident, ""),
                        "tidspunkt": when,
                        "vaerdi": _csv_number(m.vaerdi),
                        "enhed": series.enhed or "",
                        "tekst": m.tekst or "",
                        "kilde": m.kilde or "",
                        "note": m.note or "",
                        "maal": _csv_number(series.maal),
                        "maal_aar": series.maal_aar or "",
                        "adresse": address(agreement.src_uri),
                    }
                )
    return rows


def csv_text(columns: list[Column], rows: list[dict[str, Any]]) -> str:
    """The table as CSV: each row's cells by the columns' names, in the columns' order (a cell
    named by no column is an error)."""
    out = io.StringIO()
    writer = csv.DictWriter(
        out, [c.name for c in columns], delimiter=CSV_DELIMITER, lineterminator="\r\n", extrasaction="raise"
    )
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + out.getvalue()  # the byte-order mark: see CSV_ENCODING


def datapackage(license_id: str, site_name: str) -> dict:
    title, path = LICENSES[license_id]
    return {
        "name": "boligsociale-delaftaler",
        "title": f"{site_name}: indikatorer, aktiviteter og roller",
        "description": "Delmål, indikatorer, aktiviteter og parternes opgaver i alle offentliggjorte versioner af "
        "delaftalerne på sitet. Dannes på ny ved hver opdatering af sitet.",
        "licenses": [{"name": license_id, "title": title, "path": path}],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "title": table_title,
                "description": description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": CSV_ENCODING,
                "dialect": {"delimiter": CSV_DELIMITER, "header": True},
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description}
                        | ({"decimalChar": ","} if c.type == "number" else {})
                        for c in columns
                    ]
                },
            }
            for name, (table_title, description, columns) in TABLES.items()
        ],
    }


# --------------------------------------------------------------------------- everything


@dataclass
class OpenData:
    """Every data file by its URI in the site, and the facts the Data page shows."""

    files: dict[str, bytes] = field(default_factory=dict)  # UTF-8: half the memory of text, as MkDocs writes it
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows
    versions: int = 0
    license_id: str = DEFAULT_LICENSE


def open_data(
    corpus: Corpus,
    *,
    site_url: str | None,
    license_id: str = DEFAULT_LICENSE,
    site_name: str = "Boligsociale delaftaler",
    moved: dict[str, str] | None = None,
    mask_contacts: bool = True,
) -> OpenData:
    """Every data file of the site. Addresses inside files are absolute when the site's public
    address is known, else paths from the site's root (``/plan/…``). ``moved`` (old address ->
    new, from renamed ids) gets a copy of the data file at the old address: a file cannot
    redirect, and a published data address must keep working. ``mask_contacts``: e-mail addresses
    and phone numbers in running text are masked (the plugin's ``mask_contact_data``)."""
    root = site_url.rstrip("/") + "/" if site_url else "/"

    def address(uri: str) -> str:
        return root + uri.removesuffix("index.md")

    data = OpenData(license_id=license_id)
    schema_address = address(SCHEMA_URI)
    for agreement, version in corpus.published_versions():
        text = dumps(version_document(version.model, schema_address, mask_contacts)).encode("utf-8")
        data.files[agreement.version_src_uri(version).removesuffix("index.md") + VERSION_FILE] = text
        if version is agreement.current:
            data.files[agreement.src_uri.removesuffix("index.md") + VERSION_FILE] = text
        data.versions += 1
    for old, new in sorted((moved or {}).items()):
        if new + VERSION_FILE in data.files and old + VERSION_FILE not in data.files:
            data.files[old + VERSION_FILE] = data.files[new + VERSION_FILE]
    data.files[SCHEMA_URI] = data_schema_text().encode("utf-8")
    data.files[PLAN_SCHEMA_URI] = dumps(plan_schema()).encode("utf-8")
    for name, rows in table_rows(corpus, address).items():
        if mask_contacts:
            rows = masked(rows)
        data.files[f"{DATA_FOLDER}/{name}.csv"] = csv_text(TABLES[name][2], rows).encode("utf-8")
        data.counts[name] = len(rows)
    data.files[PACKAGE_URI] = dumps(datapackage(license_id, site_name)).encode("utf-8")
    return data


def data_page(renderer, data: OpenData):
    """The Danish page that lists the downloads (``templates/data.md.j2``)."""
    title, path = LICENSES[data.license_id]
    return renderer.render_page(
        "data.md.j2",
        {"title": "Data", "description": "Delaftalerne som åbne data: JSON og CSV"},
        data=data,
        licens={"id": data.license_id, "titel": title, "adresse": path},
        tabeller=TABLES,
        link=page_linker(DATA_PAGE),  # relative links, as on every generated page
    )
