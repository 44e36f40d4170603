"""The data model of plans and delaftaler: the one source of truth.

The YAML keys are the field names: Danish domain words in lowercase ASCII snake_case
(``delmaal``, ``maalgrupper``, ``gyldig_fra``). Field descriptions are Danish because they
reach authors through the JSON Schema (editor tooltips). Domain types raise Danish messages
themselves; :mod:`generator.model.messages` translates pydantic's generic ones.

A template generation (``skabelon``) is a subclass of :class:`DelaftaleBase` that adds the
sections only that generation has; indicators, activities, parties and roles are shared by
all generations so they render with the same components.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    SerializationInfo,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, core_schema

from generator.base.sanitize import author_html
from generator.base.textscan import HOW_TO_REMOVE, describe, first_bidi_control
from generator.model.messages import _BUILTIN_ERROR_TYPES as _PYDANTIC_TYPES
from generator.model.messages import unknown

# --------------------------------------------------------------------------- domain types

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


def suggest_id(text: str) -> str:
    """A valid id close to ``text``: 'Brøndby Strand' -> 'brondby-strand'."""
    slug = str(text).lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or "mit-id"


def _check_id(value: Any) -> Any:
    # fullmatch: with match, '$' also matches before a final line break, and 'tryghedsindsats\n'
    # (a block scalar, 'id: |') passed and broke the heading's anchor.
    if isinstance(value, str) and not _ID.fullmatch(value):
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


def _check_date(value: Any) -> Any:
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


def _check_year(value: Any) -> Any:
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


def _check_amount(value: Any) -> Any:
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


def _strip_text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise PydanticCustomError("tom_tekst", "teksten er tom — skriv en tekst eller fjern feltet")
        # Every text and name an author writes: the site's classes and ids stay the templates' own,
        # so no text can pass for the site's status banner (sanitize.py says why it is done here).
        value = author_html(value)
    return value


def _check_name(value: str) -> str:
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


Id = Annotated[
    str,
    BeforeValidator(_check_id),
    ADRESSERING,
    Field(
        json_schema_extra={"pattern": _ID.pattern},
        description="Stabilt id til webadresser: små bogstaver a-z, tal og bindestreger. Ændres aldrig.",
    ),
]
Partshenvisning = Annotated[
    str,
    BeforeValidator(_check_id),
    Field(json_schema_extra={"pattern": _ID.pattern}, description="Id på en part fra planens 'parter'"),
]
Fodnotehenvisning = Annotated[
    str,
    BeforeValidator(_check_id),
    Field(json_schema_extra={"pattern": _ID.pattern}, description="Id på en fodnote under tabellen"),
]
Dato = Annotated[
    date,
    BeforeValidator(_check_date),
    Field(json_schema_extra={"type": "string", "format": "date"}, description="Dato som ÅÅÅÅ-MM-DD"),
]
Aarstal = Annotated[
    int,
    BeforeValidator(_check_year),
    Field(json_schema_extra={"type": ["string", "integer"], "pattern": r"^\d{4}$"}, description="Årstal, fx 2018"),
]
Tekst = Annotated[
    str,
    BeforeValidator(_strip_text),
    Field(description="Tekst i Markdown: tomme linjer adskiller afsnit, '- ' starter et punkt i en liste"),
]
Navn = Annotated[str, BeforeValidator(_strip_text), AfterValidator(_check_name)]
Beloeb = Annotated[
    Decimal,
    BeforeValidator(_check_amount),
    Field(json_schema_extra={"type": ["string", "number"]}, description="Tal som i aftalen, fx 3.100 eller 12,5"),
]

PartType = Literal["kommune", "boligorganisation", "boligsocial_indsats", "politi", "forening", "andet"]


class Model(BaseModel):
    """Base of every model: unknown keys are errors (they are nearly always typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --------------------------------------------------------------------------- parties


class Kontaktperson(Model):
    """A named person, e.g. 'SSP-Fagchef Jens Ansbjerg'."""

    model_config = ConfigDict(title="Kontaktperson")  # what the history page calls one of these

    navn: Navn = Field(title="Navn", description="Personens navn")
    titel: Navn | None = Field(None, title="Titel", description="Stilling, fx 'SSP-fagchef'")
    email: Navn | None = Field(None, title="E-mail", description="E-mailadresse")
    telefon: Navn | None = Field(None, title="Telefon", description="Telefonnummer")


class Part(Model):
    """A party the plan knows: an organisation or unit that agreements can refer to by id."""

    model_config = ConfigDict(title="Part")  # what the history page calls one of these

    bestemt: ClassVar[str] = "parten"  # "giv parten sit eget id"

    id: Id = Field(title="Id")
    navn: Navn = Field(title="Navn", description="Partens navn, som det skal stå i aftalerne")
    type: PartType = Field(title="Type", description="Slags part")
    kontaktpersoner: Annotated[list[Kontaktperson], PERSONOPLYSNING] = Field(
        title="Kontaktpersoner", default_factory=list
    )


class Periode(Model):
    fra: Dato = Field(title="Fra")
    til: Dato = Field(title="Til")

    @model_validator(mode="after")
    def _ordered(self) -> Periode:
        if self.til < self.fra:
            raise PydanticCustomError(
                "periode_omvendt",
                "perioden slutter ({til}) før den starter ({fra}) — byt om på datoerne",
                {"fra": self.fra.isoformat(), "til": self.til.isoformat(), "felt": "til"},
            )
        return self


class Afsnit(Model):
    model_config = ConfigDict(title="Afsnit")  # what the history page calls one of these

    bestemt: ClassVar[str] = "afsnittet"  # "giv afsnittet sit eget id"
    id: Id = Field(title="Id")
    titel: Navn = Field(title="Titel")
    tekst: Tekst = Field(title="Tekst")


class Underafsnit(Model):
    """A sub-section of a free section in a document's own outline."""

    model_config = ConfigDict(title="Underafsnit")  # what the history page calls one of these

    overskrift: Navn = Field(title="Overskrift", description="Underafsnittets overskrift, som dokumentet skriver den")
    id: Id | None = Field(None, title="Id", description="Anker på siden; standard er lavet af overskriften")
    tekst: Tekst = Field(title="Tekst")


class Dispositionsafsnit(Model):
    """One section of a document's own outline (``disposition``): a standard section placed by
    its key (``afsnit: problemkompleks``), optionally with the document's own heading, or a free
    section with its own heading and text (optionally with sub-sections)."""

    model_config = ConfigDict(title="Afsnit i dispositionen")  # what the history page calls one of these

    afsnit: Navn | None = Field(
        None,
        title="Afsnit",
        description="Nøglen for et standardafsnit, fx 'problemkompleks' (se skrivevejledningen); udelades for et frit afsnit",
    )
    overskrift: Navn | None = Field(
        None,
        title="Overskrift",
        description="Overskriften som i dokumentet, evt. med nummer, fx '3. Problemkompleks'; standard er skabelonens",
    )
    id: Id | None = Field(
        None, title="Id", description="Et frit afsnits anker på siden; standard er lavet af overskriften"
    )
    tekst: Tekst | None = Field(None, title="Tekst", description="Et frit afsnits tekst")
    underafsnit: list[Underafsnit] = Field(
        title="Underafsnit", default_factory=list, description="Et frit afsnits underafsnit"
    )

    @model_validator(mode="after")
    def _standard_or_free(self):
        if self.afsnit is not None:
            extra = [name for name in ("id", "tekst", "underafsnit") if getattr(self, name)]
            if extra:
                raise PydanticCustomError(
                    "disposition_standardafsnit",
                    "et standardafsnit ('afsnit: {afsnit}') viser sine egne felter — slet '{felt}', eller slet 'afsnit:' "
                    "for at gøre det til et frit afsnit",
                    {"afsnit": self.afsnit, "felt": extra[0]},
                )
        elif self.overskrift is None:
            raise PydanticCustomError(
                "disposition_tom",
                "angiv 'afsnit:' (et standardafsnit) eller 'overskrift:' og 'tekst:' (et frit afsnit)",
            )
        elif self.tekst is None and not self.underafsnit:
            raise PydanticCustomError(
                "disposition_fri_tekst",
                "et frit afsnit skal have 'tekst:' eller 'underafsnit:' — skriv afsnittets tekst",
                {"felt": "tekst"},
            )
        return self


Disposition = Annotated[
    list[Dispositionsafsnit],
    Field(
        title="Disposition",
        description="Dokumentets egen disposition: afsnittene i dokumentets rækkefølge, med dokumentets overskrifter, "
        "og frie afsnit; uden den bruges skabelonens standardrækkefølge",
    ),
]


class Hovedformaal(Model):
    """One of a 2013 plan's main purposes, with its success criteria and how they are measured."""

    model_config = ConfigDict(title="Hovedformål")  # what the history page calls one of these

    titel: Navn | None = Field(None, title="Titel", description="Overskrift, fx 'Hovedformål 1'")
    formaal: Tekst = Field(title="Formål")
    succeskriterier: list[Succeskriterium] = Field(title="Succeskriterier", default_factory=list)
    maalemetode: Tekst | None = Field(None, title="Målemetode", description="Hvordan succeskriterierne måles")


class Milepaele(Model):
    model_config = ConfigDict(title="Milepæle")  # what the history page calls one of these
    periode: Navn = Field(title="Periode", description="Fx '1. kvartal'")
    milepaele: list[Tekst] = Field(title="Milepæle", min_length=1)


class Organisering(Model):
    indledning: Tekst | None = Field(None, title="Indledning")
    organer: list[Rolle] = Field(
        title="Organer", min_length=1, description="Styregruppe, følgegruppe …: hver med tekst og opgaver"
    )


class Ansvarsomraader(Model):
    indledning: Tekst | None = Field(None, title="Indledning")
    roller: list[Rolle] = Field(title="Ansvars- og rollefordeling", min_length=1)
    afslutning: Tekst | None = Field(None, title="Afslutning")


class PlanDokument(Model):
    """A whole master plan written as one document (the 2013 generation): the sections
    around its indsatsområder, which are files of their own."""

    resume: Tekst = Field(title="Resumé")
    forord: Tekst = Field(title="Forord")
    lejemaal: Summetabel | None = Field(
        None, title="Afdelinger og lejemål", description="Afdelinger og lejemål, med total"
    )
    forord_fortsat: Tekst | None = Field(
        None, title="Forord (fortsat)", description="Forordet efter tabellen med lejemål"
    )
    baggrund_indledning: Tekst | None = Field(None, title="Baggrund (indledning)")
    baggrund: list[Afsnit] = Field(
        title="Baggrund", default_factory=list, description="Baggrund, fx ét afsnit pr. afdeling"
    )
    vision: Tekst = Field(title="Vision")
    indsatsomraader_indledning: Tekst | None = Field(None, title="Indsatsområder (indledning)")
    milepaelsplan: list[Milepaele] = Field(title="Overordnet milepælsplan", default_factory=list)
    evaluering: Tekst | None = Field(None, title="Evaluering")
    organisering: Organisering | None = Field(None, title="Organisering")
    ansvarsomraader: Ansvarsomraader | None = Field(None, title="Ansvarsområder")
    hovedformaal: list[Hovedformaal] = Field(
        title="Hovedformål",
        default_factory=list,
        description="Helhedsplanens hovedformål, hver med succeskriterier og målemetode",
    )
    budget: list[Summetabel] = Field(
        title="Budget",
        default_factory=list,
        description="Helhedsplanens budget: én eller flere tabeller med titel, kolonner (fx årstal eller "
        "finansieringskilder), rækker og evt. totaler; 'ukendt' for beløb, der ikke kendes endnu",
    )
    kolofon: Tekst | None = Field(None, title="Kolofon", description="Udarbejdet af, udgiver, tryk")
    disposition: Disposition = Field(default_factory=list)


class Plan(Model):
    """A boligsocial helhedsplan: the programme its delaftaler belong to."""

    id: Id = Field(title="Id")
    navn: Navn = Field(title="Navn", description="Den boligsociale indsats' navn, fx 'Brøndby Strand Projektet'")
    undertitel: Navn | None = Field(None, title="Undertitel")
    tidligere_id: Annotated[list[Id], ADRESSERING] = Field(
        title="Tidligere id",
        default_factory=list,
        description="Tidligere id'er; deres gamle webadresser sender videre hertil",
    )
    kommune: Navn = Field(title="Kommune", description="Kommunen, fx 'Brøndby Kommune'")
    boligorganisationer: list[Navn] = Field(title="Boligorganisationer", default_factory=list)
    afdelinger: list[Navn] = Field(
        title="Boligafdelinger", default_factory=list, description="Boligafdelinger, som planen dækker"
    )
    periode: Periode | None = Field(None, title="Periode", description="Helhedsplanens periode")
    beskrivelse: Tekst | None = Field(
        None, title="Beskrivelse", description="Kort beskrivelse til forsiden og planens side"
    )
    parter: list[Part] = Field(
        title="Parter", default_factory=list, description="Parter, som delaftalerne kan henvise til med id"
    )
    dokument: PlanDokument | None = Field(
        None,
        title="Helhedsplanens afsnit",
        description="Helhedsplanens egne afsnit, når den er ét samlet dokument (2013)",
    )


class PartReference(Model):
    """Either a known party (``part``: its id in plan.yaml) or a free name (``navn``)."""

    part: Partshenvisning | None = Field(None, title="Part", description="Id på en part fra planens 'parter'")
    navn: Navn | None = Field(None, title="Navn", description="Navn på en part, der ikke står i planens 'parter'")

    @field_validator("part")
    @classmethod
    def _registered(cls, value: str | None, info: ValidationInfo) -> str | None:
        """With the plan's party ids in the validation context, a reference must name one of them
        (checked here, beside the other fields, so the author sees it in the same run)."""
        known = (info.context or {}).get("parter")
        if value is not None and known is not None and value not in known:
            raise PydanticCustomError(
                "ukendt_part",
                "parten {besked} (skriv 'navn:' i stedet for 'part:' for en part, der ikke står i plan.yaml)",
                {"besked": unknown("parter i planen", value, sorted(known))},
            )
        return value

    @model_validator(mode="after")
    def _one_party(self):
        if (self.part is None) == (self.navn is None):
            raise PydanticCustomError(
                "part_eller_navn",
                "angiv enten 'part' (id fra planens parter) eller 'navn' (frit navn) — ikke begge og ikke ingen",
            )
        return self


class Deltager(PartReference):
    """One line in 'Delaftalens parter'. A plain string is shorthand for ``navn:``."""

    model_config = ConfigDict(title="Part")  # what the history page calls one of these

    kontaktpersoner: Annotated[list[Kontaktperson], PERSONOPLYSNING] = Field(
        title="Kontaktpersoner", default_factory=list
    )
    note: Tekst | None = Field(None, title="Note", description="Tilføjelse efter navnet")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"navn": value} if isinstance(value, str) else value


class Partsgruppe(Model):
    """A group of parties as the agreement lists them, e.g. 'Styregruppe (alle aktiviteter)'."""

    model_config = ConfigDict(title="Gruppe")  # what the history page calls one of these

    gruppe: Navn | None = Field(
        None, title="Gruppe", description="Gruppens overskrift; udelades, hvis parterne ikke er grupperet"
    )
    indledning: Tekst | None = Field(None, title="Indledning")
    deltagere: list[Deltager] = Field(title="Deltagere", min_length=1)


class Rolle(PartReference):
    """What one party does in an activity: a list of duties, a text, or both."""

    model_config = ConfigDict(title="Rolle")  # what the history page calls one of these

    betegnelse: Navn | None = Field(
        None,
        title="Betegnelse",
        description="Overskriften som i aftalen, fx 'Brøndby Kommunes SSP-medarbejderes ansvar er'",
    )
    tekst: Tekst | None = Field(None, title="Tekst")
    opgaver: list[Tekst] = Field(title="Opgaver", default_factory=list, description="Partens opgaver, én pr. punkt")
    kontaktpersoner: Annotated[list[Kontaktperson], PERSONOPLYSNING] = Field(
        title="Kontaktpersoner", default_factory=list, description="Kontakt for rollen"
    )

    @model_validator(mode="after")
    def _has_content(self):
        if not self.opgaver and self.tekst is None:
            raise PydanticCustomError(
                "rolle_tom", "rollen beskriver ingen opgaver — tilføj 'opgaver:' (en liste) eller 'tekst:'"
            )
        return self


# --------------------------------------------------------------------------- goals and indicators


class Indikator(Model):
    model_config = ConfigDict(title="Indikator")  # what the history page calls one of these
    bestemt: ClassVar[str] = "indikatoren"  # "giv indikatoren sit eget id"
    id: Annotated[Id | None, ADRESSERING] = Field(
        None,
        title="Id",
        description="Stabilt id for indikatoren i delaftalen (samme id i alle versioner); kræves for at registrere "
        "målinger i maalinger.yaml",
    )
    tekst: Tekst = Field(title="Indikator", description="Indikatoren: det, der måles")
    type: Literal["effekt", "aktivitetsnaer"] = Field(
        "effekt",
        title="Type",
        description="'effekt' eller 'aktivitetsnaer' (aktivitetsnær indikator, fx et antal samtaler)",
    )
    baseline: Tekst | None = Field(None, title="Baseline", description="Baseline for boligområdet/målgruppen")
    anden_baseline: Tekst | None = Field(
        None, title="Evt. anden baseline", description="Evt. anden baseline til sammenligning"
    )
    baseline_aar: Aarstal | None = Field(None, title="Baseline år", description="Året baseline er målt")
    datakilde: Tekst | None = Field(None, title="Datakilde")
    fodnoter: list[Fodnotehenvisning] = Field(
        title="Fodnoter", default_factory=list, description="Id'er på fodnoter under tabellen"
    )


_LEADING_NUMBER = re.compile(r"^\s*(-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?)(?=\s|%|$)")


def baseline_number(indicator: Indikator) -> Decimal | None:
    """The baseline as a number when it starts with one ('61 % føler sig trygge' -> 61) and its
    year is known (a point needs both); else None (it is shown as text in the indicator table)."""
    if indicator.baseline is None or indicator.baseline_aar is None:
        return None
    match = _LEADING_NUMBER.match(indicator.baseline)
    return Decimal(match[1].replace(".", "").replace(",", ".")) if match else None


def _check_year_or_date(value: Any) -> Any:
    """A measurement's time: a year (2024) or a date (2024-03-01)."""
    if isinstance(value, date):
        return value
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(text, str) and re.fullmatch(r"\d{4}", text):
        return _check_year(text)
    if isinstance(text, str) and _DATE.fullmatch(text):
        return _check_date(text)
    raise PydanticCustomError(
        "tidspunkt",
        "{value} er hverken et årstal eller en dato — skriv fx 2024 eller 2024-03-01",
        {"value": repr(value) if not isinstance(value, str) else f"'{value}'"},
    )


Tidspunkt = Annotated[
    int | date,
    BeforeValidator(_check_year_or_date),
    Field(json_schema_extra={"type": ["string", "integer"]}, description="Årstal (fx 2024) eller dato (ÅÅÅÅ-MM-DD)"),
]


def _at_most(limit: int, kind: str, message: str) -> BeforeValidator:
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


#: Measurements of one indicator. Monthly for 40 years is 480; each is a point in the chart and a
#: row in the page's table and in the PDF, and 10,000 took 65 s and 1.2 GB to build.
MAX_MEASUREMENTS = 500
#: Measurements in one maalinger.yaml, all indicators together: 20 indicators measured yearly for
#: 20 years are 400; 2,000 builds in about 10 s (about 5 ms each), so many indicators at their
#: limit cannot make a build run for minutes either.
MAX_MEASUREMENTS_PER_FILE = 2_000
_ONE_PER_COUNT = "skriv én måling pr. opgørelse (fx pr. år, kvartal eller måned), ikke hver enkelt registrering"


def _measurements_in_file(value: Any) -> Any:
    """All the indicators' measurements together, counted as written, before any is validated. An
    indicator over its own limit is told so at its list (:data:`MAX_MEASUREMENTS`), not here."""
    if isinstance(value, list):
        counts = [
            len(series["maalinger"])
            for series in value
            if isinstance(series, dict) and isinstance(series.get("maalinger"), list)
        ]
        count = sum(counts)
        if count > MAX_MEASUREMENTS_PER_FILE and max(counts) <= MAX_MEASUREMENTS:
            raise PydanticCustomError(
                "for_mange_maalinger",
                "filen har {antal} målinger i alt; højst {graense} pr. fil — " + _ONE_PER_COUNT,
                {"antal": danish_number(Decimal(count)), "graense": danish_number(Decimal(MAX_MEASUREMENTS_PER_FILE))},
            )
    return value


class Maaling(Model):
    """One measurement of an indicator: a number with its unit, or a text when it is not a number."""

    model_config = ConfigDict(title="Måling")

    tid: Tidspunkt = Field(
        title="Tidspunkt", description="Hvornår der er målt: årstal (fx 2024) eller dato (ÅÅÅÅ-MM-DD)"
    )
    vaerdi: Beloeb | None = Field(None, title="Værdi", description="Tallet, fx 64 eller 12,5 (komma for decimaler)")
    tekst: Tekst | None = Field(None, title="Tekst", description="Resultatet som tekst, når det ikke er et tal")
    kilde: Tekst | None = Field(None, title="Kilde", description="Hvor tallet kommer fra")
    note: Tekst | None = Field(None, title="Note")

    @model_validator(mode="after")
    def _value_or_text(self):
        if (self.vaerdi is None) == (self.tekst is None):
            raise PydanticCustomError(
                "vaerdi_eller_tekst", "angiv enten 'vaerdi' (et tal) eller 'tekst' — ikke begge og ikke ingen"
            )
        return self


class Maalserie(Model):
    """The measurements of one indicator (by its id), its unit and optionally its target."""

    model_config = ConfigDict(title="Målinger for en indikator")

    indikator: Id = Field(title="Indikator", description="Id på en indikator i delaftalen (indikatorens 'id')")
    enhed: Navn | None = Field(None, title="Enhed", description="Enheden for værdierne, fx '%' eller 'samtaler'")
    maal: Beloeb | None = Field(None, title="Mål", description="Målet for indikatoren som tal (valgfrit)")
    maal_aar: Aarstal | None = Field(None, title="Mål år", description="Året målet skal være nået")
    maalinger: Annotated[
        list[Maaling],
        _at_most(
            MAX_MEASUREMENTS,
            "for_mange_maalinger",
            "indikatoren har {antal} målinger; højst {graense} pr. indikator — " + _ONE_PER_COUNT,
        ),
    ] = Field(title="Målinger", default_factory=list)


class Maalinger(Model):
    """agreements/<plan>/<delaftale>/maalinger.yaml: measurements of the delaftale's indicators,
    kept outside the versions so that a measurement neither makes a new version nor changes one."""

    indikatorer: Annotated[list[Maalserie], BeforeValidator(_measurements_in_file)] = Field(
        title="Indikatorer", min_length=1
    )


def maalinger_schema() -> dict[str, Any]:
    schema = TypeAdapter(Maalinger).json_schema()
    schema["title"] = "Målinger af indikatorer"
    return schema


class Delmaal(Model):
    model_config = ConfigDict(title="Delmål")  # what the history page calls one of these
    tekst: Tekst = Field(title="Delmål", description="Delmålet")
    indikatorer: list[Indikator] = Field(title="Indikatorer", min_length=1)


class Succeskriterium(Model):
    """An indicator-like success criterion (2013 and 2017 templates): what counts as success,
    and where the data comes from. Rendered by the same table family as indicators."""

    model_config = ConfigDict(title="Succeskriterium")  # what the history page calls one of these

    tekst: Tekst = Field(title="Succeskriterium", description="Succeskriteriet")
    datakilde: Tekst | None = Field(None, title="Datakilde")
    fodnoter: list[Fodnotehenvisning] = Field(
        title="Fodnoter", default_factory=list, description="Id'er på fodnoter under tabellen"
    )


#: An amount not known yet (a draft budget): written ``ukendt`` in the YAML, shown as "ukendt".
UKENDT = "ukendt"
#: How documents write an amount not known yet ('??', '-', 'x', …): told to write ``ukendt`` instead.
UNKNOWN_LOOKALIKE = re.compile(r"\?+|-+|x+|ukendt endnu|mangler", re.I)


def _check_cell(value: Any) -> Any:
    """A budget cell: a Danish number as written ('3.100', '0,5') or ``ukendt``."""
    if isinstance(value, str) and value.strip().lower() == UKENDT:
        return UKENDT
    if isinstance(value, str) and UNKNOWN_LOOKALIKE.fullmatch(value.strip()):
        raise PydanticCustomError(
            "beloeb",
            "'{value}' er ikke et tal — skriv ukendt, hvis beløbet ikke kendes endnu (kun i et udkast "
            "eller en version i høring), eller 0, hvis der intet beløb er",
            {"value": value},
        )
    if value is None:
        raise PydanticCustomError("beloeb", "beløbet mangler — skriv et tal, fx 3.100 eller 0,5, eller ukendt")
    try:
        return _check_amount(value)
    except PydanticCustomError as exc:
        if "graense" in (exc.context or {}):
            raise  # a number, but too large: that message says so
        raise PydanticCustomError(
            "beloeb",
            "{value} er ikke et tal — skriv fx 3.100 eller 0,5 (punktum for tusinder, komma for "
            "decimaler) eller ukendt",
            {"value": repr(value) if not isinstance(value, str) else f"'{value}'"},
        ) from None


Celle = Annotated[Decimal | Literal["ukendt"], BeforeValidator(_check_cell)]
_CELL_SCHEMA = {"type": ["string", "number"], "description": "Tal som i aftalen, fx 3.100 eller 0,5, eller 'ukendt'"}


def _one_or_more(value: Any) -> Any:
    """A single amount is shorthand for a row of one column."""
    return value if isinstance(value, list) else [value]


def _cell_data(cell: Any) -> Any:
    """An amount in the data files: '3100' or '0,5', read back the same by :func:`_check_cell`
    ('0.5' would not be: the point groups thousands in the YAML)."""
    if not isinstance(cell, Decimal):
        return cell
    if cell == cell.to_integral_value():
        return str(int(cell))
    return f"{cell.normalize():f}".replace(".", ",")


def _as_written(cells: list, info: SerializationInfo) -> Any:
    """Stored as the author wrote it: one amount stays one amount (so the published record of a
    two-column table is what it always was), several stay a list."""
    if info.mode_is_json():
        cells = [_cell_data(cell) for cell in cells]
    return cells[0] if len(cells) == 1 else cells


Celler = Annotated[
    list[Celle],
    BeforeValidator(_one_or_more),
    WithJsonSchema({"anyOf": [_CELL_SCHEMA, {"type": "array", "items": _CELL_SCHEMA, "minItems": 1}]}),
    Field(description="Ét beløb pr. kolonne (en liste), eller ét beløb, når tabellen har én kolonne med tal"),
]
Totaler = Annotated[
    list[Celle | None],
    BeforeValidator(_one_or_more),
    WithJsonSchema(
        {
            "anyOf": [
                _CELL_SCHEMA,
                {"type": "array", "items": {"anyOf": [_CELL_SCHEMA, {"type": "null"}]}, "minItems": 1},
            ]
        }
    ),
    Field(
        description="Totalen pr. kolonne som i aftalen (tjekkes mod summen); ukendt i et udkast; tom (~) for ingen total"
    ),
]


def _heading(value: Any) -> Any:
    """A column heading may be a year written as a number: kolonner: [2014, 2015]."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Kolonneoverskrift = Annotated[
    str,
    BeforeValidator(_strip_text),
    BeforeValidator(_heading),
    AfterValidator(_check_name),
    Field(json_schema_extra={"type": ["string", "integer"]}),
]


class Tabelraekke(Model):
    model_config = ConfigDict(title="Række")  # what the history page calls one of these
    betegnelse: Navn = Field(
        title="Betegnelse", description="Rækkens navn, fx en organisation, en post eller en afdeling"
    )
    beloeb: Celler = Field(title="Beløb", description="Tallet, som det står i aftalen, eller ét pr. kolonne")

    @field_serializer("beloeb")
    def _written(self, cells: list, info: SerializationInfo) -> Any:
        return _as_written(cells, info)


class Summetabel(Model):
    """A table of named amounts: a budget (organisation -> amount; or posts by years or funding
    sources) or a plan's tenancies (department -> count). The general form has several amount
    columns with their headings (``kolonner``) and one amount per column in each row; a table
    without ``kolonner`` has one amount column (its heading comes from where it stands) and a
    single amount per row: the shorthand the 2017 budgets are written in. Totals are checked
    against the sum of their column when given; ``ukendt`` marks an amount not known yet."""

    model_config = ConfigDict(title="Tabel med beløb")

    titel: Navn | None = Field(None, title="Titel", description="Tabellens titel, fx 'Budget 2014-2017 (1.000 kr.)'")
    tekst: Tekst | None = Field(None, title="Tekst", description="Tekst før tabellen")
    betegnelse_kolonne: Navn | None = Field(
        None,
        title="Overskrift på første kolonne",
        description="Overskriften over rækkernes navne, fx 'Post' eller 'Organisation'",
    )
    kolonner: list[Kolonneoverskrift] = Field(
        title="Kolonner",
        default_factory=list,
        description="Overskrifterne på kolonnerne med beløb, fx årstal eller finansieringskilder",
    )
    raekker: list[Tabelraekke] = Field(title="Rækker", min_length=1)
    enhed: Navn | None = Field(None, title="Enhed", description="Enhed efter hvert tal, fx 'lejemål'")
    total_betegnelse: Navn | None = Field(
        None,
        title="Total (betegnelse)",
        description="Teksten i total-rækken, fx 'Samlet budget for indsatsområdet' (standard: 'I alt')",
    )
    total: Totaler | None = Field(
        None,
        title="Total",
        description="Totalen (pr. kolonne), som den står i aftalen; den tjekkes mod summen af rækkerne",
    )

    @field_serializer("total")
    def _written(self, cells: list | None, info: SerializationInfo) -> Any:
        return None if cells is None else _as_written(cells, info)

    @property
    def overskrifter(self) -> list[str] | None:
        """The amount columns' headings, None for the one-column shorthand (the caller names it)."""
        return list(self.kolonner) or None

    @property
    def ukendte(self) -> list[tuple]:
        """Where an amount is ``ukendt``: locations relative to the table."""
        return [
            ("raekker", i, "beloeb", j) if len(r.beloeb) > 1 or self.kolonner else ("raekker", i, "beloeb")
            for i, r in enumerate(self.raekker)
            for j, cell in enumerate(r.beloeb)
            if cell == UKENDT
        ] + [
            ("total", j) if len(self.total) > 1 or self.kolonner else ("total",)
            for j, cell in enumerate(self.total or [])
            if cell == UKENDT
        ]

    @model_validator(mode="wrap")
    @classmethod
    def _name_bad_cells(cls, data: Any, handler):
        """A bad amount is named by its row and column heading (a budget has many alike), and a
        single amount (the one-column shorthand) is located at its field, not as item [0]."""
        try:
            return handler(data)
        except ValidationError as exc:
            if not isinstance(data, dict):
                raise
            rows, headings = data.get("raekker"), data.get("kolonner")
            headings = headings if isinstance(headings, list) else []
            errors = []
            for error in exc.errors(include_url=False):
                loc, message = tuple(error["loc"]), error["msg"]
                cell = (
                    error["type"] == "beloeb"
                    and len(loc) >= 3
                    and loc[0] == "raekker"
                    and isinstance(loc[1], int)
                    and loc[2] == "beloeb"
                ) or (error["type"] == "beloeb" and loc[:1] == ("total",))
                if cell:
                    index = loc[-1] if isinstance(loc[-1], int) else 0
                    raw = (
                        rows[loc[1]]
                        if loc[0] == "raekker"
                        and isinstance(rows, list)
                        and loc[1] < len(rows)
                        and isinstance(rows[loc[1]], dict)
                        else data
                    ).get("beloeb" if loc[0] == "raekker" else "total")
                    if not isinstance(raw, list):
                        loc = loc[:-1] if isinstance(loc[-1], int) else loc
                    where = []
                    if loc[0] == "raekker":
                        name = rows[loc[1]].get("betegnelse") if isinstance(rows[loc[1]], dict) else None
                        where.append(f"rækken '{name}'" if isinstance(name, str) else f"række {loc[1] + 1}")
                    else:
                        where.append("totalen")
                    if headings and isinstance(raw, list) and index < len(headings):
                        where.append(f"kolonnen '{headings[index]}'")
                    message = f"{', '.join(where)}: {message}"
                kind = error["type"]
                details = (
                    PydanticCustomError(kind, message, error.get("ctx"))
                    if cell or kind not in _PYDANTIC_TYPES
                    else kind
                )
                errors.append(
                    InitErrorDetails(
                        type=details,
                        loc=loc,
                        input=error.get("input"),
                        **({"ctx": error["ctx"]} if "ctx" in error and details == kind else {}),
                    )
                )
            raise ValidationError.from_exception_data(exc.title, errors) from None

    @model_validator(mode="after")
    def _shape_and_totals(self):
        width = max(1, len(self.kolonner))
        named = f" ({', '.join(self.kolonner)})" if self.kolonner else ""
        errors = []

        def problem(loc: tuple, kind: str, message: str, **ctx) -> None:
            errors.append(InitErrorDetails(type=PydanticCustomError(kind, message, ctx), loc=loc, input=None))

        for i, row in enumerate(self.raekker):
            if len(row.beloeb) != width:
                problem(
                    ("raekker", i, "beloeb"),
                    "antal_beloeb",
                    "rækken '{raekke}' har {antal} beløb, men tabellen har {bredde} {kolonner}{navne} — skriv ét "
                    "beløb pr. kolonne (ukendt for et beløb, der ikke kendes endnu)",
                    raekke=row.betegnelse,
                    antal=len(row.beloeb),
                    bredde=width,
                    kolonner="kolonne" if width == 1 else "kolonner",
                    navne=named,
                )
        if self.total is None and self.total_betegnelse is not None:
            problem(
                ("total_betegnelse",),
                "total_mangler",
                "tabellen har en total-række ('{betegnelse}'), men ingen total — skriv 'total:' (ukendt, hvis den "
                "ikke kendes endnu) eller slet 'total_betegnelse:'",
                betegnelse=self.total_betegnelse,
            )
        if self.total is not None and len(self.total) != width:
            problem(
                ("total",),
                "antal_beloeb",
                "total har {antal} beløb, men tabellen har {bredde} {kolonner}{navne} — skriv én total pr. "
                "kolonne (~ for en kolonne uden total)",
                antal=len(self.total),
                bredde=width,
                kolonner="kolonne" if width == 1 else "kolonner",
                navne=named,
            )
        if errors:
            raise ValidationError.from_exception_data("Summetabel", errors)
        for j, total in enumerate(self.total or []):
            column = [row.beloeb[j] for row in self.raekker]
            where = ("total", j) if len(self.total) > 1 or self.kolonner else ("total",)
            label = f"kolonnen '{self.kolonner[j]}'" if self.kolonner else "rækkerne"
            summed = f"rækkerne i kolonnen '{self.kolonner[j]}'" if self.kolonner else "rækkerne"
            if total is None or total == UKENDT:
                continue
            if UKENDT in column:
                problem(
                    where,
                    "total_ukendt",
                    "total er {total}, men {kolonne} har ukendte beløb, så totalen kan ikke tjekkes — skriv "
                    "ukendt som total, indtil alle beløb kendes",
                    total=danish_number(total),
                    kolonne=label,
                )
                continue
            summen = sum(column, Decimal(0))
            if summen != total:
                problem(
                    where,
                    "forkert_total",
                    "total er {total}, men {kolonne} giver tilsammen {summen} — ret totalen eller et af tallene",
                    total=danish_number(total),
                    summen=danish_number(summen),
                    kolonne=summed,
                )
        if errors:
            raise ValidationError.from_exception_data("Summetabel", errors)
        return self


class Fodnote(Model):
    model_config = ConfigDict(title="Fodnote")  # what the history page calls one of these

    bestemt: ClassVar[str] = "fodnoten"  # "giv fodnoten sit eget id"
    id: Id = Field(title="Id")
    tekst: Tekst = Field(title="Fodnote")


class Kolonnenavne(Model):
    """Sub-headings some agreements give the two baseline columns."""

    baseline: Navn | None = Field(None, title="Kolonnenavn for baseline")
    anden_baseline: Navn | None = Field(None, title="Kolonnenavn for anden baseline")


# --------------------------------------------------------------------------- activities


class Rollegruppe(Model):
    """Roles grouped under a sub-activity, e.g. 'Solvang Bigaard' (2017 template)."""

    model_config = ConfigDict(title="Delaktivitet")  # what the history page calls one of these

    titel: Navn | None = Field(None, title="Titel")
    indledning: Tekst | None = Field(None, title="Indledning")
    roller: list[Rolle] = Field(title="Ansvars- og rollefordeling", default_factory=list)
    afslutning: Tekst | None = Field(None, title="Afslutning")


#: Activities in one version. The bundled agreements have 2 to 6 and LBF's templates expect a
#: handful; each is a section of the page and of the PDF, and 10,000 kept the PDF engine busy past
#: two minutes. 100 is far more than an agreement describes, and adds about 6 s to a build.
MAX_ACTIVITIES = 100
_AT_MOST_ACTIVITIES = _at_most(
    MAX_ACTIVITIES,
    "for_mange_aktiviteter",
    "versionen har {antal} aktiviteter; højst {graense} pr. version — saml de aktiviteter, der hører sammen, "
    "eller del indsatsområdet i flere delaftaler",
)


class Aktivitet(Model):
    """What every generation's activity has; generations add their fields."""

    model_config = ConfigDict(title="Aktivitet")  # what the history page calls one of these

    bestemt: ClassVar[str] = "aktiviteten"  # "giv aktiviteten sit eget id"

    id: Id = Field(
        title="Id", description="Stabilt id; bruges som anker, så partnere kan linke direkte til aktiviteten"
    )
    navn: Navn = Field(title="Navn")
    listetekst: Tekst | None = Field(
        None,
        title="Tekst i listen over aktiviteter",
        description="Aktivitetens linje i listen over aktiviteter, hvis den skal være anderledes end navnet",
    )
    problemstilling: Tekst | None = Field(
        None, title="Problemstilling", description="Den problemstilling, aktiviteten skal løse (valgfri)"
    )
    indhold: Tekst = Field(title="Indhold og praksis", description="Indhold og praksis")
    succeskriterier: list[Succeskriterium] = Field(
        title="Succeskriterier",
        default_factory=list,
        description="Aktivitetens succeskriterier, hver med datakilde (valgfri)",
    )
    maalemetode: Tekst | None = Field(
        None, title="Målemetode", description="Hvordan det måles, om aktiviteten lykkes (valgfri)"
    )


class _Roller(Model):
    """A division of roles, directly or grouped by sub-activity (optional: 2013 activities)."""

    roller_indledning: Tekst | None = Field(None, title="Tekst før rollerne", description="Tekst før rollerne")
    roller: list[Rolle] = Field(
        title="Ansvars- og rollefordeling", default_factory=list, description="Ansvars- og rollefordeling, én pr. part"
    )
    roller_afslutning: Tekst | None = Field(None, title="Tekst efter rollerne", description="Tekst efter rollerne")
    rollegrupper: list[Rollegruppe] = Field(
        title="Roller pr. delaktivitet", default_factory=list, description="Roller grupperet efter delaktivitet"
    )

    @property
    def alle_rollegrupper(self) -> list[Rollegruppe]:
        """One rendering path: plain roles are a group without a title."""
        plain = Rollegruppe(indledning=self.roller_indledning, roller=self.roller, afslutning=self.roller_afslutning)
        has_plain = self.roller or self.roller_indledning or self.roller_afslutning
        return ([plain] if has_plain else []) + list(self.rollegrupper)


class _MedRoller(_Roller):
    """Activities whose generation requires a division of roles (2017, 2019)."""

    @model_validator(mode="after")
    def _has_roles(self):
        if not self.roller and not self.rollegrupper and self.roller_indledning is None:
            raise PydanticCustomError(
                "ingen_roller", "aktiviteten har ingen ansvars- og rollefordeling — tilføj 'roller:'"
            )
        return self


class Aktivitet2019(Aktivitet, _MedRoller):
    formaal: Tekst = Field(title="Formål")
    maalgrupper: Tekst = Field(title="Målgruppe(r)", description="Målgruppe(r): hvem, og hvor mange")


class Aktivitet2017(Aktivitet, _MedRoller):
    niveau: Literal["beboerniveau", "kvarterniveau", "bydelsniveau"] | None = Field(
        None, title="Niveau", description="Niveau: beboerniveau, kvarterniveau eller bydelsniveau"
    )
    cfbu: Navn | None = Field(None, title="CFBU", description="Aktivitetskategori (CFBU)")
    formaal: Tekst | None = Field(None, title="Formål og mål", description="Formål og mål (kan stå tomt i aftalen)")
    maalgrupper: Tekst = Field(title="Målgruppe(r)", description="Målgruppe(r): hvem, og hvor mange")
    succeskriterier: list[Succeskriterium] = Field(title="Succeskriterier", default_factory=list)


class Faktaboks(Model):
    """The fact box of the 2013 generation: per activity, or once for a whole indsatsområde."""

    formaal: Tekst | None = Field(None, title="Formål")
    medarbejderressourcer: Tekst | None = Field(None, title="Medarbejderressourcer")
    succeskriterier: list[Succeskriterium] = Field(
        title="Succeskriterier", default_factory=list, description="Succeskriterier"
    )
    succeskriterier_betegnelse: Navn | None = Field(
        None,
        title="Overskrift på succeskriterierne",
        description="Overskriften på succeskriterierne som i dokumentet, fx 'Succeskriterier (2013)'; standard er 'Succeskriterier'",
    )
    maalemetode: Tekst | None = Field(None, title="Målemetode", description="Hvordan succeskriterierne måles")
    samarbejdsrelationer: Tekst | None = Field(None, title="Samarbejdsrelationer")
    lokal_evaluering: Tekst | None = Field(None, title="Lokal evaluering")
    forankring: Tekst | None = Field(None, title="Forankring")


class Aktivitet2013(Aktivitet, Faktaboks, _Roller):
    """An activity of a 2013 master plan: narrative, its fact box, then its roles (optional)."""

    # Optional: 2013 documents often state no division of roles; where they do, it renders and
    # reaches the partner pages as in the other generations.

    maalgrupper: Tekst | None = Field(
        None, title="Målgruppe(r)", description="Målgruppe(r): hvem, og hvor mange (valgfri)"
    )


# --------------------------------------------------------------------------- delaftaler


class Godkendelse(Model):
    af: Navn = Field(title="Godkendt af", description="Hvem godkendte versionen, fx 'Bestyrelsen'")
    dato: Dato = Field(title="Godkendt den")


class Rettelse(Model):
    """A dated note on a published version saying what was corrected in it afterwards."""

    model_config = ConfigDict(title="Rettelse")  # what the history page calls one of these

    dato: Dato = Field(title="Rettet den", description="Dagen rettelsen blev lavet")
    tekst: Tekst = Field(title="Rettelse", description="Hvad der er rettet, og hvorfor")


class Dokumentstatus(StrEnum):
    """A version's document status, as its YAML says (``status:``): a draft is never published; a
    version in consultation is published with its own banner; an approved version binds the parties.
    Not what the site shows on a day (that is :class:`generator.corpus.Visningsstatus`)."""

    UDKAST = "udkast"
    I_HOERING = "i_hoering"
    GODKENDT = "godkendt"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # Checked as the literal values (the JSON Schema, and the Danish message for a wrong value,
        # stay those of a Literal; strict models take the JSON's text), then held as the member.
        values = Literal[tuple(member.value for member in cls)]  # type: ignore[valid-type]
        return core_schema.no_info_after_validator_function(cls, handler.generate_schema(values))


#: How a reader reads a document status (the writing guide lists them so).
STATUS_NAMES: dict[Dokumentstatus, str] = {
    Dokumentstatus.UDKAST: "udkast",
    Dokumentstatus.I_HOERING: "i høring",
    Dokumentstatus.GODKENDT: "godkendt",
}


class DelaftaleBase(Model):
    """What every template generation's delaftale has."""

    id: Id = Field(title="Id", description="Indsatsområdets stabile id i planen; står i webadressen")
    plan: Id = Field(title="Plan", description="Id på planen (fra plan.yaml)")
    skabelon: str = Field(title="Skabelon")
    indsatsomraade: Navn = Field(
        title="Indsatsområde", description="Indsatsområdets navn, fx 'Sammenhængskraft og medborgerskab'"
    )
    titel: Navn | None = Field(None, title="Titel", description="Titel; standard er 'Delaftale for indsatsområdet …'")
    resume: Annotated[Tekst | None, REDAKTIONEL] = Field(
        None,
        title="Resumé",
        description="Kort resumé i almindeligt sprog: hvad aftalen handler om (vises øverst, i oversigter og i søgning)",
    )
    status: Annotated[Dokumentstatus, VERSIONSOPLYSNING] = Field(
        Dokumentstatus.GODKENDT,
        title="Status",
        description="'udkast' (offentliggøres ikke), 'i_hoering' (offentliggøres med en banner) eller 'godkendt' (standard)",
    )
    hoeringsfrist: Annotated[Dato | None, VERSIONSOPLYSNING] = Field(
        None, title="Høringsfrist", description="Sidste dag for høringssvar (kun for status 'i_hoering')"
    )
    gyldig_fra: Annotated[Dato, VERSIONSOPLYSNING] = Field(title="Gyldig fra")
    gyldig_til: Annotated[Dato, VERSIONSOPLYSNING] = Field(title="Gyldig til")
    raekkefoelge: Annotated[int | None, ADRESSERING] = Field(
        None,
        title="Rækkefølge",
        description="Placering blandt planens delaftaler (1, 2, …); uden den sorteres efter indsatsområde",
    )
    godkendt: Annotated[Godkendelse | None, VERSIONSOPLYSNING] = Field(
        None, title="Godkendelse", description="Hvem der godkendte versionen, og hvornår"
    )
    tidligere_id: Annotated[list[Id], ADRESSERING] = Field(
        title="Tidligere id",
        default_factory=list,
        description="Tidligere id'er; deres gamle webadresser sender videre hertil",
    )
    aendringsnote: Annotated[Tekst | None, VERSIONSOPLYSNING] = Field(
        None, title="Ændringsnote", description="Kort, offentlig note om hvad der er ændret i denne version"
    )
    rettelser: Annotated[list[Rettelse], VERSIONSOPLYSNING] = Field(
        title="Rettelser",
        default_factory=list,
        description="Rettelser i en offentliggjort version: dato og hvad der er rettet (vises på versionens side)",
    )
    disposition: Disposition = Field(default_factory=list)
    aktivitetsliste: Annotated[list[Id], ADRESSERING] = Field(
        title="Rækkefølge i listen over aktiviteter",
        default_factory=list,
        description="Aktiviteternes id'er i den rækkefølge, listen over aktiviteter har i dokumentet, når den er en "
        "anden end beskrivelsernes (rækkefølgen under 'aktiviteter')",
    )

    @model_validator(mode="after")
    def _status(self):
        if self.status is not Dokumentstatus.GODKENDT and self.godkendt is not None:
            raise PydanticCustomError(
                "status_godkendt",
                "versionen har status '{status}', men også 'godkendt:' — slet 'status:', når versionen er godkendt, "
                "eller slet 'godkendt:'",
                {"status": self.status, "felt": "status"},
            )
        if self.hoeringsfrist is not None and self.status is not Dokumentstatus.I_HOERING:
            raise PydanticCustomError(
                "hoeringsfrist",
                "en høringsfrist hører kun til en version i høring — skriv 'status: i_hoering' "
                "eller slet 'hoeringsfrist:'",
                {"felt": "hoeringsfrist"},
            )
        return self

    @model_validator(mode="after")
    def _period(self):
        if self.gyldig_til < self.gyldig_fra:
            raise PydanticCustomError(
                "periode_omvendt",
                "gyldig_til ({til}) ligger før gyldig_fra ({fra}) — byt om på datoerne",
                {"fra": self.gyldig_fra.isoformat(), "til": self.gyldig_til.isoformat(), "felt": "gyldig_til"},
            )
        return self

    @property
    def visningstitel(self) -> str:
        return self.titel or f"Delaftale for indsatsområdet {self.indsatsomraade}"


class DelaftaleLbf2019(DelaftaleBase):
    """LBF's delaftale template from 2019 on (seeds 000-002)."""

    skabelon: Literal["lbf-2019"] = Field(title="Skabelon", description="Skabelongenerationen")
    parter: list[Partsgruppe] = Field(title="Parter", min_length=1, description="Delaftalens parter")
    aktiviteter: Annotated[list[Aktivitet2019], _AT_MOST_ACTIVITIES] = Field(title="Aktiviteter", min_length=1)
    delmaal_note: Tekst | None = Field(
        None, title="Note til delmål og indikatorer", description="Note over tabellen med delmål og indikatorer"
    )
    kolonnenavne: Kolonnenavne | None = Field(None, title="Kolonnenavne")
    delmaal: list[Delmaal] = Field(title="Delmål og indikatorer", min_length=1)
    fodnoter: list[Fodnote] = Field(
        title="Fodnoter", default_factory=list, description="Fodnoter under indikatortabellen"
    )
    medarbejderressourcer: Tekst = Field(title="Medarbejderressourcer")
    sammenhaeng_fysisk: Tekst | None = Field(
        None, title="Sammenhæng med den fysiske indsats", description="Sammenhæng med den fysiske indsats"
    )
    sammenhaeng_kommunal: Tekst = Field(
        title="Sammenhæng med den kommunale indsats", description="Sammenhæng med den kommunale indsats i boligområdet"
    )
    revision: Tekst = Field(
        title="Revision af delaftalen", description="Revision af delaftalen: hvem reviderer, og hvem godkender"
    )


class DelaftaleLbf2017(DelaftaleBase):
    """LBF's delaftale template of 2017-18 (seed 004)."""

    skabelon: Literal["lbf-2017"] = Field(title="Skabelon", description="Skabelongenerationen")
    parter: list[Partsgruppe] = Field(title="Parter", min_length=1, description="Aftalens parter")
    problemkompleks: Tekst = Field(
        title="Problemkompleks", description="Problemkompleks for indsatsområdet; kilder som fodnoter [^1]"
    )
    formaal_og_maal: Tekst = Field(title="Formål og mål")
    succeskriterier: list[Succeskriterium] = Field(
        title="Succeskriterier", min_length=1, description="Succeskriterier (lokalt opstillede målinger)"
    )
    fodnoter: list[Fodnote] = Field(
        title="Fodnoter", default_factory=list, description="Fodnoter under tabellen med succeskriterier"
    )
    aktiviteter_indledning: Tekst | None = Field(
        None, title="Aktiviteter (indledning)", description="Tekst før listen over aktiviteter"
    )
    medarbejderressourcer: Tekst = Field(title="Medarbejderressourcer")
    sammenhaeng_kommunal: Tekst = Field(title="Sammenhæng med den kommunale indsats")
    oekonomi: Summetabel = Field(
        title="Indsatsområdets økonomi", description="Indsatsområdets økonomi: organisation → finansiering, og totalen"
    )
    konflikthaandtering: Tekst = Field(title="Konflikthåndtering og underretning")
    revision: Tekst = Field(title="Revision af delaftalen")
    aktiviteter: Annotated[list[Aktivitet2017], _AT_MOST_ACTIVITIES] = Field(title="Aktiviteter", min_length=1)


class Indsatsomraade2013(DelaftaleBase):
    """One indsatsområde of a 2013 master plan; the plan-wide sections are in plan.yaml's 'dokument'."""

    skabelon: Literal["helhedsplan-2013"] = Field(title="Skabelon", description="Skabelongenerationen")
    parter: list[Partsgruppe] = Field(title="Parter", default_factory=list)
    problemkompleks: Tekst = Field(title="Problemkompleks")
    formaal: Tekst = Field(title="Formål")
    aktiviteter_indledning: Tekst | None = Field(
        None, title="Aktiviteter (indledning)", description="Tekst under overskriften om aktiviteterne"
    )
    aktiviteter: Annotated[list[Aktivitet2013], _AT_MOST_ACTIVITIES] = Field(title="Aktiviteter", min_length=1)
    faktaboks: Faktaboks | None = Field(
        None,
        title="Faktaboks",
        description="Én faktaboks for alle indsatsområdets aktiviteter; står uden overskrift efter den sidste aktivitet, eller hvor 'disposition' placerer afsnittet 'faktaboks'",
    )

    @property
    def visningstitel(self) -> str:
        return self.titel or self.indsatsomraade  # a section of the plan, not a separate agreement


class Indsatsomraadenavn(Model):
    """One focus area in the shared vocabulary, with the other ways agreements write it."""

    model_config = ConfigDict(title="Indsatsområde")  # what the history page calls one of these

    bestemt: ClassVar[str] = "indsatsområdet"  # "giv indsatsområdet sit eget id"

    id: Id = Field(title="Id")
    navn: Navn = Field(title="Navn", description="Navnet, som oversigterne bruger")
    varianter: list[Navn] = Field(
        title="Varianter", default_factory=list, description="Andre måder, aftalerne skriver navnet på"
    )


class Ordliste(Model):
    """agreements/indsatsomraader.yaml: focus areas that mean the same thing share one id."""

    indsatsomraader: list[Indsatsomraadenavn] = Field(title="Indsatsområder", min_length=1)


#: Every template generation by its ``skabelon`` value.
GENERATIONS: dict[str, type[DelaftaleBase]] = {
    "lbf-2019": DelaftaleLbf2019,
    "lbf-2017": DelaftaleLbf2017,
    "helhedsplan-2013": Indsatsomraade2013,
}


def _describe_section_keys(schema: dict[str, Any], keys: dict[str, list[str]]) -> None:
    """Name the section keys a disposition may use in the editor's tooltip (from generator.model.outline)."""
    field = schema["$defs"]["Dispositionsafsnit"]["properties"]["afsnit"]
    field["description"] = "Nøglen for et standardafsnit; udelades for et frit afsnit. Nøglerne: " + "; ".join(
        f"{where}: {', '.join(names)}" for where, names in keys.items()
    )


def delaftale_schema() -> dict[str, Any]:
    from generator.model.outline import standard_outline  # the outline is defined over these models

    union = Union[tuple(GENERATIONS.values())]  # type: ignore[valid-type]  # noqa: UP007 (built at run time)
    schema = TypeAdapter(Annotated[union, Field(discriminator="skabelon")]).json_schema()
    schema["title"] = "Delaftale"
    _describe_section_keys(schema, {name: [s.key for s in standard_outline(name)] for name in GENERATIONS})
    return schema


def plan_schema() -> dict[str, Any]:
    from generator.model.outline import plan_document_outline

    schema = TypeAdapter(Plan).json_schema()
    schema["title"] = "Boligsocial helhedsplan"
    _describe_section_keys(schema, {"dokument": [s.key for s in plan_document_outline()]})
    return schema


def _resolve_forward_references() -> None:
    """Models naming a model defined further down (a plan document's tables, roles) keep a
    ForwardRef as their fields' annotation until rebuilt; the checks walk fields by annotation."""
    from typing import ForwardRef

    for value in list(globals().values()):
        if (
            isinstance(value, type)
            and issubclass(value, BaseModel)
            and any(isinstance(info.annotation, ForwardRef) for info in value.model_fields.values())
        ):
            value.model_rebuild(force=True)


_resolve_forward_references()
