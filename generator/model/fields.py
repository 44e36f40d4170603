"""The shared field types of the data model: ids, dates, years, amounts and Danish numbers,
text cleaning, the markers of what a field is (:class:`FieldKind`) and what the writing guide
calls its type (:class:`TypeName`), and :class:`Model`, the base of every model.

Domain types raise Danish messages themselves; :mod:`generator.model.messages` translates
pydantic's generic ones. Field descriptions are Danish because they reach authors through the
JSON Schema (editor tooltips).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ForwardRef

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from generator.base.sanitize import author_html
from generator.base.textscan import HOW_TO_REMOVE, describe, first_bidi_control

# --------------------------------------------------------------------------- domain types

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


def suggest_id(text: str) -> str:
    """A valid id close to ``text``: 'Brøndby Strand' -> 'brondby-strand'."""
    slug = str(text).lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or "mit-id"


def check_id(value: Any) -> Any:
    # fullmatch: with match, '$' also matches before a final line break, and 'tryghedsindsats\n'
    # (a block scalar, 'id: |') passed and broke the heading's anchor.
    if isinstance(value, str) and not ID_PATTERN.fullmatch(value):
        hidden = next((c for c in value if not c.isprintable()), None)  # all but a plain space: unseen
        if hidden is not None:
            raise PydanticCustomError(
                "ugyldigt_id",
                "id'et '{vist}' indeholder tegnet {tegn}, som ikke ses — et id har kun små bogstaver a-z, tal og "
                "bindestreger; {fjern}, eller skriv id'et på én linje uden | og anførselstegn, fx {forslag}",
                {
                    "vist": _visibly(value.strip()),
                    "tegn": describe(hidden),
                    "fjern": HOW_TO_REMOVE,
                    "forslag": suggest_id("".join(c for c in value if c.isprintable())),
                },
            )
        raise PydanticCustomError(
            "ugyldigt_id",
            "'{value}' er ikke et gyldigt id — brug kun små bogstaver a-z, tal og bindestreger, fx {forslag}",
            {"value": value, "forslag": suggest_id(value)},
        )
    return value


def _visibly(value: str) -> str:
    """``value`` with each character that cannot be seen written as its code: printed as it is, a
    direction control would reorder the rest of the author's terminal line."""
    return "".join(c if c.isprintable() else f"[{describe(c).split(' ')[0]}]" for c in value)


def check_date(value: Any) -> Any:
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, str):
        if _DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise PydanticCustomError(
                    "umulig_dato",
                    "'{value}' er ikke en dato, der findes — tjek dag og måned (ÅÅÅÅ-MM-DD)",
                    {"value": value},
                ) from None
        raise PydanticCustomError(
            "datoformat",
            "'{value}' er ikke en dato på formen ÅÅÅÅ-MM-DD — skriv fx 2021-06-01 for 1. juni 2021",
            {"value": value},
        )
    raise PydanticCustomError("datoformat", "skal være en dato på formen ÅÅÅÅ-MM-DD, fx 2021-06-01")


def check_year(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value) and 1900 <= int(value) <= 2100:
        return int(value)
    if isinstance(value, str):
        raise PydanticCustomError("aarstal", "'{value}' er ikke et årstal — skriv fx 2018", {"value": value})
    raise PydanticCustomError("aarstal", "skal være et årstal, fx 2018")


_AMOUNT = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^-?\d+(?:,\d+)?$")


#: The largest number (in size) a measurement or an amount may be: 10.000 milliarder, some eight
#: times the Danish state's yearly spending in kroner, so no budget or measurement comes near it.
#: A larger one is a typing error (too many digits) or hostile input: past 1e308 a chart's float is
#: infinite, and the page showed y="nan" and the label 'In.fin.ity %'.
MAX_NUMBER = Decimal(10) ** 13


def _within_range(number: Decimal) -> Decimal:
    if number.is_finite() and abs(number) <= MAX_NUMBER:
        return number
    digits = len(f"{abs(number):f}".partition(".")[0]) if number.is_finite() else None
    found = (
        f"et tal med {digits} cifre"
        if digits and digits > 20
        else (f"tallet {danish_number(number)}" if digits else f"'{number}'")
    )
    raise PydanticCustomError(
        "beloeb",
        "{fundet} er for stort: et tal i en aftale kan højst være {graense} (også som negativt tal) — "
        "ret tallet (er der tastet for mange cifre?)",
        {"fundet": found, "graense": danish_number(MAX_NUMBER)},
    )


def check_amount(value: Any) -> Any:
    """Danish number as written: '3.100', '1.928', '12,5' (thousands '.', decimals ','), within
    :data:`MAX_NUMBER`."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return _within_range(Decimal(value))
    if isinstance(value, str) and _AMOUNT.match(value.strip()):
        return _within_range(Decimal(value.strip().replace(".", "").replace(",", ".")))
    raise PydanticCustomError(
        "beloeb",
        "{value} er ikke et tal — skriv fx 3.100 eller 12,5 (punktum for tusinder, komma for decimaler)",
        {"value": repr(value) if not isinstance(value, str) else f"'{value}'"},
    )


def danish_number(value: Decimal) -> str:
    """Decimal('3100') -> '3.100'; Decimal('12.5') -> '12,5'."""
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = ".".join(digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)[::-1])
    return sign + grouped + ("," + fraction if fraction else "")


def strip_text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise PydanticCustomError("tom_tekst", "teksten er tom — skriv en tekst eller fjern feltet")
        # Every text and name an author writes: the site's classes and ids stay the templates' own,
        # so no text can pass for the site's status banner (sanitize.py says why it is done here).
        value = author_html(value)
    return value


def check_name(value: str) -> str:
    if "\n" in value:
        raise PydanticCustomError("navn_linjeskift", "et navn skal stå på én linje — fjern linjeskiftet")
    _refuse_bidi_controls(value)
    return value


def _refuse_bidi_controls(value: str) -> None:
    """A name or title is shown out of its context (navigation, the browser's title, search
    results, a CSV cell, sorted lists), where a direction control reorders what follows it: the
    published name would read otherwise than the one the parties approved. Running text only
    gets a note (checks.note_invisible_characters): a paragraph keeps its effect to itself."""
    control = first_bidi_control(value)
    if control is not None:
        raise PydanticCustomError(
            "retningstegn",
            "navnet indeholder det usynlige tegn {tegn}, som ændrer den rækkefølge, teksten vises i — {fjern}",
            {"tegn": describe(control), "fjern": HOW_TO_REMOVE},
        )


class FieldKind:
    """A marker in a field's annotation saying the field is not the agreement's text."""

    def __init__(self, name: str, why: str):
        self.name, self.why = name, why

    def __repr__(self) -> str:
        return f"FieldKind({self.name!r})"


#: Facts about a version (its period, approval, status, corrections): shown in every entry of the
#: history page, not compared as changed text (the period changes with every version).
VERSIONSOPLYSNING = FieldKind("versionsoplysning", "om versionen, ikke dens tekst")
#: Where and in which order the site shows a thing (ids, old ids, order): not the agreement's text.
ADRESSERING = FieldKind("adressering", "sitets adresser og rækkefølge")


#: The site's own help to readers (a plain-language summary): not the agreement's text, so it may be
#: added to a published version and is not compared between versions.
REDAKTIONEL = FieldKind("redaktionel", "sitets hjælp til læseren, ikke aftalens tekst")
#: Names and addresses of people: compared without naming them (the history is a public record).
PERSONOPLYSNING = FieldKind("personoplysning", "navne og kontaktoplysninger på personer")


def field_kind(info: Any) -> FieldKind | None:
    """The marker of a pydantic ``FieldInfo``; None for the agreement's own text."""
    return next((m for m in info.metadata if isinstance(m, FieldKind)), None)


@dataclass(frozen=True)
class TypeName:
    """What the writing guide calls a field type, declared once beside the type: its key, its
    name in a field's line (``name``), the sentence under "Felttyper" (``prose``, None for a type
    the guide names only in its field lines) and the description the type gives every field of
    its own (said once, under "Felttyper", so a field's line leaves it out). A marker in the
    type's annotation (pydantic leaves it alone), like :class:`FieldKind`."""

    key: str
    name: str
    prose: str | None = None
    description: str | None = None


TEKST = TypeName(
    "tekst",
    "tekst (Markdown)",
    "**Tekst** er Markdown (se nedenfor). Skriv længere tekst som en tekstblok: `felt: |` og teksten "
    "på de følgende linjer, rykket ind.",
    "Tekst i Markdown: tomme linjer adskiller afsnit, '- ' starter et punkt i en liste",
)
NAVN = TypeName("navn", "navn (én linje)", "**Navn** står på én linje (et linjeskift er en fejl).")
ID = TypeName(
    "id",
    "id (a-z, 0-9 og bindestreg)",
    "**Id** er et stabilt navn til webadresser: små bogstaver a-z, tal og bindestreger, fx "
    "`sammenhaengskraft-og-medborgerskab`. Et id ændres aldrig (se `tidligere_id`).",
    "Stabilt id til webadresser: små bogstaver a-z, tal og bindestreger. Ændres aldrig.",
)
DATO = TypeName(
    "dato",
    "dato (ÅÅÅÅ-MM-DD)",
    "**Dato** skrives ÅÅÅÅ-MM-DD, fx `2021-06-01` for 1. juni 2021.",
    "Dato som ÅÅÅÅ-MM-DD",
)
AARSTAL = TypeName("aarstal", "årstal (ÅÅÅÅ)", "**Årstal** skrives med fire cifre, fx `2018`.", "Årstal, fx 2018")
TAL = TypeName(
    "tal",
    "tal (fx 3.100 eller 12,5)",
    f"**Tal** skrives som i aftalen, med punktum for tusinder og komma for decimaler: `3.100` "
    f"(vises {danish_number(Decimal(3100))}), `12,5` (vises {danish_number(Decimal('12.5'))}). "
    "Sæt gerne tallet i anførselstegn (`'3.100'`), så YAML ikke læser det som et decimaltal.",
    "Tal som i aftalen, fx 3.100 eller 12,5",
)
TIDSPUNKT = TypeName("tidspunkt", "årstal eller dato")
HELTAL = TypeName("heltal", "helt tal")
#: The shapes of a value rather than types of their own: a choice (a ``Literal``) and a list.
VALG = TypeName("valg", "én af", "**Valg** er én af de nævnte værdier, skrevet præcis sådan.")
LISTE = TypeName("liste", "liste", "**Liste**: hvert punkt starter med `- ` på en ny linje.")
#: Every type the guide names, in the order its "Felttyper" lists them.
TYPE_NAMES = (TEKST, NAVN, ID, DATO, AARSTAL, TAL, VALG, LISTE, TIDSPUNKT, HELTAL)


def type_name(metadata: tuple) -> TypeName | None:
    """The :class:`TypeName` among an annotation's metadata, if any."""
    return next((m for m in metadata if isinstance(m, TypeName)), None)


Id = Annotated[
    str,
    BeforeValidator(check_id),
    ADRESSERING,
    ID,
    Field(json_schema_extra={"pattern": ID_PATTERN.pattern}, description=ID.description),
]
Partshenvisning = Annotated[
    str,
    BeforeValidator(check_id),
    ID,
    Field(json_schema_extra={"pattern": ID_PATTERN.pattern}, description="Id på en part fra planens 'parter'"),
]
Fodnotehenvisning = Annotated[
    str,
    BeforeValidator(check_id),
    ID,
    Field(json_schema_extra={"pattern": ID_PATTERN.pattern}, description="Id på en fodnote under tabellen"),
]
Dato = Annotated[
    date,
    BeforeValidator(check_date),
    DATO,
    Field(json_schema_extra={"type": "string", "format": "date"}, description=DATO.description),
]
Aarstal = Annotated[
    int,
    BeforeValidator(check_year),
    AARSTAL,
    Field(json_schema_extra={"type": ["string", "integer"], "pattern": r"^\d{4}$"}, description=AARSTAL.description),
]
Tekst = Annotated[str, BeforeValidator(strip_text), TEKST, Field(description=TEKST.description)]
Navn = Annotated[str, BeforeValidator(strip_text), AfterValidator(check_name), NAVN]
Beloeb = Annotated[
    Decimal,
    BeforeValidator(check_amount),
    TAL,
    Field(json_schema_extra={"type": ["string", "number"]}, description=TAL.description),
]


def check_year_or_date(value: Any) -> Any:
    """A measurement's time: a year (2024) or a date (2024-03-01)."""
    if isinstance(value, date):
        return value
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(text, str) and re.fullmatch(r"\d{4}", text):
        return check_year(text)
    if isinstance(text, str) and _DATE.fullmatch(text):
        return check_date(text)
    raise PydanticCustomError(
        "tidspunkt",
        "{value} er hverken et årstal eller en dato — skriv fx 2024 eller 2024-03-01",
        {"value": repr(value) if not isinstance(value, str) else f"'{value}'"},
    )


Tidspunkt = Annotated[
    int | date,
    BeforeValidator(check_year_or_date),
    TIDSPUNKT,
    Field(json_schema_extra={"type": ["string", "integer"]}, description="Årstal (fx 2024) eller dato (ÅÅÅÅ-MM-DD)"),
]


def at_most(limit: int, kind: str, message: str) -> BeforeValidator:
    """A list's length, checked before its items are validated: a list far over the limit is
    refused at once, located at its field. ``message`` has {antal} (what the file has) and
    {graense} (the limit)."""

    def check(value: Any) -> Any:
        if isinstance(value, list) and len(value) > limit:
            raise PydanticCustomError(
                kind, message, {"antal": danish_number(Decimal(len(value))), "graense": danish_number(Decimal(limit))}
            )
        return value

    return BeforeValidator(check)


class Model(BaseModel):
    """Base of every model: unknown keys are errors (they are nearly always typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


def resolve_forward_references(namespace: dict[str, Any]) -> None:
    """Rebuild the models in ``namespace`` (a model module's globals, with what it imports) whose
    fields still hold a ForwardRef as their annotation (a model naming one defined further down):
    the checks walk fields by annotation. Each model module calls it last."""
    for value in list(namespace.values()):
        if (
            isinstance(value, type)
            and issubclass(value, BaseModel)
            and any(isinstance(info.annotation, ForwardRef) for info in value.model_fields.values())
        ):
            value.model_rebuild(force=True)
