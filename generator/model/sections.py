"""Sections of text: a titled section, and a document's own outline (``disposition``) with
its free sections and sub-sections (:mod:`generator.model.outline` places them)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from generator.model.fields import Id, Model, Navn, Tekst, resolve_forward_references


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


resolve_forward_references(globals())
