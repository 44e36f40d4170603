"""The plan (plan.yaml): a boligsocial helhedsplan, its parties and, for a plan written as
one document (2013), the document's own sections; and the shared vocabulary of focus areas
(agreements/indsatsomraader.yaml)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from generator.model.fields import ADRESSERING, Dato, Id, Model, Navn, Tekst, resolve_forward_references
from generator.model.indicators import Succeskriterium
from generator.model.parties import Part, Rolle
from generator.model.sections import Afsnit, Disposition
from generator.model.tables import Summetabel


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


resolve_forward_references(globals())
