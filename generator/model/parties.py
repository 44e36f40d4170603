"""The parties: a plan's parties and contact persons, references to them, the groups an
agreement lists them in, and the roles they take in an activity."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from generator.model.fields import PERSONOPLYSNING, Id, Model, Navn, Partshenvisning, Tekst, resolve_forward_references
from generator.model.messages import unknown

PartType = Literal["kommune", "boligorganisation", "boligsocial_indsats", "politi", "forening", "andet"]


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


resolve_forward_references(globals())
