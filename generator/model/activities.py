"""Activities: what every generation's activity has, its division of roles, and each
generation's own activity (2019, 2017, and 2013 with its fact box)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from generator.model.fields import Id, Model, Navn, Tekst, at_most, resolve_forward_references
from generator.model.indicators import Succeskriterium
from generator.model.parties import Rolle


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
AT_MOST_ACTIVITIES = at_most(
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


resolve_forward_references(globals())
