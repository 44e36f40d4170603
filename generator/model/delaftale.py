"""The delaftaler: what every template generation's version has (:class:`DelaftaleBase`), and
each generation (``skabelon``) as a subclass adding the sections only it has.

Indicators, activities, parties and roles are shared by all generations so they render with
the same components.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, GetCoreSchemaHandler, model_validator
from pydantic_core import PydanticCustomError, core_schema

from generator.model.activities import AT_MOST_ACTIVITIES, Aktivitet2013, Aktivitet2017, Aktivitet2019, Faktaboks
from generator.model.fields import (
    ADRESSERING,
    REDAKTIONEL,
    VERSIONSOPLYSNING,
    Dato,
    Id,
    Model,
    Navn,
    Tekst,
    resolve_forward_references,
)
from generator.model.indicators import Delmaal, Fodnote, Kolonnenavne, Succeskriterium
from generator.model.parties import Partsgruppe
from generator.model.sections import Disposition
from generator.model.tables import Summetabel


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
    aktiviteter: Annotated[list[Aktivitet2019], AT_MOST_ACTIVITIES] = Field(title="Aktiviteter", min_length=1)
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
    aktiviteter: Annotated[list[Aktivitet2017], AT_MOST_ACTIVITIES] = Field(title="Aktiviteter", min_length=1)


class Indsatsomraade2013(DelaftaleBase):
    """One indsatsområde of a 2013 master plan; the plan-wide sections are in plan.yaml's 'dokument'."""

    skabelon: Literal["helhedsplan-2013"] = Field(title="Skabelon", description="Skabelongenerationen")
    parter: list[Partsgruppe] = Field(title="Parter", default_factory=list)
    problemkompleks: Tekst = Field(title="Problemkompleks")
    formaal: Tekst = Field(title="Formål")
    aktiviteter_indledning: Tekst | None = Field(
        None, title="Aktiviteter (indledning)", description="Tekst under overskriften om aktiviteterne"
    )
    aktiviteter: Annotated[list[Aktivitet2013], AT_MOST_ACTIVITIES] = Field(title="Aktiviteter", min_length=1)
    faktaboks: Faktaboks | None = Field(
        None,
        title="Faktaboks",
        description="Én faktaboks for alle indsatsområdets aktiviteter; står uden overskrift efter den sidste aktivitet, eller hvor 'disposition' placerer afsnittet 'faktaboks'",
    )

    @property
    def visningstitel(self) -> str:
        return self.titel or self.indsatsomraade  # a section of the plan, not a separate agreement


#: Every template generation by its ``skabelon`` value.
GENERATIONS: dict[str, type[DelaftaleBase]] = {
    "lbf-2019": DelaftaleLbf2019,
    "lbf-2017": DelaftaleLbf2017,
    "helhedsplan-2013": Indsatsomraade2013,
}


resolve_forward_references(globals())
