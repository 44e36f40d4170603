"""The data model of plans and delaftaler: the one source of truth.

The YAML keys are the field names: Danish domain words in lowercase ASCII snake_case
(``delmaal``, ``maalgrupper``, ``gyldig_fra``). Field descriptions are Danish because they
reach authors through the JSON Schema (editor tooltips). Domain types raise Danish messages
themselves; :mod:`generator.messages` translates pydantic's generic ones.

A template generation (``skabelon``) is a subclass of :class:`DelaftaleBase` that adds the
sections only that generation has; indicators, activities, parties and roles are shared by
all generations so they render with the same components.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)
from pydantic_core import PydanticCustomError

# --------------------------------------------------------------------------- domain types

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRANSLIT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})


def suggest_id(text: str) -> str:
    """A valid id close to ``text``: 'Brøndby Strand' -> 'brondby-strand'."""
    slug = str(text).lower().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or "mit-id"


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not _ID.match(value):
        raise PydanticCustomError(
            "ugyldigt_id",
            "'{value}' er ikke et gyldigt id — brug kun små bogstaver a-z, tal og bindestreger, fx {forslag}",
            {"value": value, "forslag": suggest_id(value)},
        )
    return value


def _check_date(value: Any) -> Any:
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, str):
        if _DATE.match(value):
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
        raise PydanticCustomError(
            "aarstal", "'{value}' er ikke et årstal — skriv fx 2018", {"value": value}
        )
    raise PydanticCustomError("aarstal", "skal være et årstal, fx 2018")


_AMOUNT = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^-?\d+(?:,\d+)?$")


def _check_amount(value: Any) -> Any:
    """Danish number as written: '3.100', '1.928', '12,5' (thousands '.', decimals ',')."""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str) and _AMOUNT.match(value.strip()):
        return Decimal(value.strip().replace(".", "").replace(",", "."))
    raise PydanticCustomError(
        "beloeb", "{value} er ikke et tal — skriv fx 3.100 eller 12,5 (punktum for tusinder, komma for decimaler)",
        {"value": repr(value) if not isinstance(value, str) else f"'{value}'"})


def danish_number(value: Decimal) -> str:
    """Decimal('3100') -> '3.100'; Decimal('12.5') -> '12,5'."""
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = ".".join(digits[max(0, i - 3):i] for i in range(len(digits), 0, -3)[::-1])
    return sign + grouped + ("," + fraction if fraction else "")


def _strip_text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise PydanticCustomError("tom_tekst", "teksten er tom — skriv en tekst eller fjern feltet")
    return value


def _check_name(value: str) -> str:
    if "\n" in value:
        raise PydanticCustomError("navn_linjeskift", "et navn skal stå på én linje — fjern linjeskiftet")
    return value


Id = Annotated[str, BeforeValidator(_check_id), Field(
    json_schema_extra={"pattern": _ID.pattern},
    description="Stabilt id til webadresser: små bogstaver a-z, tal og bindestreger. Ændres aldrig.")]
Dato = Annotated[date, BeforeValidator(_check_date), Field(
    json_schema_extra={"type": "string", "format": "date"}, description="Dato som ÅÅÅÅ-MM-DD")]
Aarstal = Annotated[int, BeforeValidator(_check_year), Field(
    json_schema_extra={"type": ["string", "integer"], "pattern": r"^\d{4}$"}, description="Årstal, fx 2018")]
Tekst = Annotated[str, BeforeValidator(_strip_text), Field(
    description="Tekst i Markdown: tomme linjer adskiller afsnit, '- ' starter et punkt i en liste")]
Navn = Annotated[str, BeforeValidator(_strip_text), AfterValidator(_check_name)]
Beloeb = Annotated[Decimal, BeforeValidator(_check_amount), Field(
    json_schema_extra={"type": ["string", "number"]}, description="Tal som i aftalen, fx 3.100 eller 12,5")]

PartType = Literal["kommune", "boligorganisation", "boligsocial_indsats", "politi", "forening", "andet"]


class Model(BaseModel):
    """Base of every model: unknown keys are errors (they are nearly always typos)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --------------------------------------------------------------------------- parties


class Kontaktperson(Model):
    """A named person, e.g. 'SSP-Fagchef Jens Ansbjerg'."""

    navn: Navn = Field(description="Personens navn")
    titel: Navn | None = Field(None, description="Stilling, fx 'SSP-fagchef'")
    email: Navn | None = Field(None, description="E-mailadresse")
    telefon: Navn | None = Field(None, description="Telefonnummer")


class Part(Model):
    """A party the plan knows: an organisation or unit that agreements can refer to by id."""

    id: Id
    navn: Navn = Field(description="Partens navn, som det skal stå i aftalerne")
    type: PartType = Field(description="Slags part")
    kontaktpersoner: list[Kontaktperson] = Field(default_factory=list)


class Periode(Model):
    fra: Dato
    til: Dato

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
    id: Id
    titel: Navn
    tekst: Tekst


class Milepaele(Model):
    periode: Navn = Field(description="Fx '1. kvartal'")
    milepaele: list[Tekst] = Field(min_length=1)


class Organisering(Model):
    indledning: Tekst | None = None
    organer: list[Rolle] = Field(min_length=1, description="Styregruppe, følgegruppe …: hver med tekst og opgaver")


class Ansvarsomraader(Model):
    indledning: Tekst | None = None
    roller: list[Rolle] = Field(min_length=1)
    afslutning: Tekst | None = None


class PlanDokument(Model):
    """A whole master plan written as one document (the 2013 generation): the sections
    around its indsatsområder, which are files of their own."""

    resume: Tekst
    forord: Tekst
    lejemaal: Summetabel | None = Field(None, description="Afdelinger og lejemål, med total")
    forord_fortsat: Tekst | None = Field(None, description="Forordet efter tabellen med lejemål")
    baggrund_indledning: Tekst | None = None
    baggrund: list[Afsnit] = Field(default_factory=list, description="Baggrund, fx ét afsnit pr. afdeling")
    vision: Tekst
    indsatsomraader_indledning: Tekst | None = None
    milepaelsplan: list[Milepaele] = Field(default_factory=list)
    evaluering: Tekst | None = None
    organisering: Organisering | None = None
    ansvarsomraader: Ansvarsomraader | None = None
    kolofon: Tekst | None = Field(None, description="Udarbejdet af, udgiver, tryk")


class Plan(Model):
    """A boligsocial helhedsplan: the programme its delaftaler belong to."""

    id: Id
    navn: Navn = Field(description="Den boligsociale indsats' navn, fx 'Brøndby Strand Projektet'")
    undertitel: Navn | None = None
    tidligere_id: list[Id] = Field(
        default_factory=list, description="Tidligere id'er; deres gamle webadresser sender videre hertil")
    kommune: Navn = Field(description="Kommunen, fx 'Brøndby Kommune'")
    boligorganisationer: list[Navn] = Field(default_factory=list)
    afdelinger: list[Navn] = Field(default_factory=list, description="Boligafdelinger, som planen dækker")
    periode: Periode | None = Field(None, description="Helhedsplanens periode")
    beskrivelse: Tekst | None = Field(None, description="Kort beskrivelse til forsiden og planens side")
    parter: list[Part] = Field(default_factory=list, description="Parter, som delaftalerne kan henvise til med id")
    dokument: PlanDokument | None = Field(None, description="Helhedsplanens egne afsnit, når den er ét samlet dokument (2013)")


class PartReference(Model):
    """Either a known party (``part``: its id in plan.yaml) or a free name (``navn``)."""

    part: Id | None = Field(None, description="Id på en part fra planens 'parter'")
    navn: Navn | None = Field(None, description="Navn på en part, der ikke står i planens 'parter'")

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

    kontaktpersoner: list[Kontaktperson] = Field(default_factory=list)
    note: Tekst | None = Field(None, description="Tilføjelse efter navnet")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"navn": value} if isinstance(value, str) else value


class Partsgruppe(Model):
    """A group of parties as the agreement lists them, e.g. 'Styregruppe (alle aktiviteter)'."""

    gruppe: Navn | None = Field(None, description="Gruppens overskrift; udelades, hvis parterne ikke er grupperet")
    indledning: Tekst | None = None
    deltagere: list[Deltager] = Field(min_length=1)


class Rolle(PartReference):
    """What one party does in an activity: a list of duties, a text, or both."""

    betegnelse: Navn | None = Field(
        None, description="Overskriften som i aftalen, fx 'Brøndby Kommunes SSP-medarbejderes ansvar er'")
    tekst: Tekst | None = None
    opgaver: list[Tekst] = Field(default_factory=list, description="Partens opgaver, én pr. punkt")
    kontaktpersoner: list[Kontaktperson] = Field(default_factory=list, description="Kontakt for rollen")

    @model_validator(mode="after")
    def _has_content(self):
        if not self.opgaver and self.tekst is None:
            raise PydanticCustomError(
                "rolle_tom", "rollen beskriver ingen opgaver — tilføj 'opgaver:' (en liste) eller 'tekst:'")
        return self


# --------------------------------------------------------------------------- goals and indicators


class Indikator(Model):
    tekst: Tekst = Field(description="Indikatoren: det, der måles")
    type: Literal["effekt", "aktivitetsnaer"] = Field(
        "effekt", description="'effekt' eller 'aktivitetsnaer' (aktivitetsnær indikator, fx et antal samtaler)")
    baseline: Tekst | None = Field(None, description="Baseline for boligområdet/målgruppen")
    anden_baseline: Tekst | None = Field(None, description="Evt. anden baseline til sammenligning")
    baseline_aar: Aarstal | None = Field(None, description="Året baseline er målt")
    datakilde: Tekst | None = None
    fodnoter: list[Id] = Field(default_factory=list, description="Id'er på fodnoter under tabellen")


class Delmaal(Model):
    tekst: Tekst = Field(description="Delmålet")
    indikatorer: list[Indikator] = Field(min_length=1)


class Succeskriterium(Model):
    """An indicator-like success criterion (2013 and 2017 templates): what counts as success,
    and where the data comes from. Rendered by the same table family as indicators."""

    tekst: Tekst = Field(description="Succeskriteriet")
    datakilde: Tekst | None = None
    fodnoter: list[Id] = Field(default_factory=list, description="Id'er på fodnoter under tabellen")


class Tabelraekke(Model):
    betegnelse: Navn = Field(description="Rækkens navn, fx en organisation eller en afdeling")
    beloeb: Beloeb = Field(description="Tallet, som det står i aftalen")


class Summetabel(Model):
    """A two-column table of named numbers whose total is stated and checked
    (a budget: organisation → amount; a plan's tenancies: department → count)."""

    raekker: list[Tabelraekke] = Field(min_length=1)
    enhed: Navn | None = Field(None, description="Enhed efter hvert tal, fx 'lejemål'")
    total_betegnelse: Navn = Field(description="Teksten i total-rækken, fx 'Samlet budget for indsatsområdet'")
    total: Beloeb = Field(description="Totalen, som den står i aftalen; den tjekkes mod summen af rækkerne")

    @model_validator(mode="after")
    def _total_adds_up(self):
        summen = sum((r.beloeb for r in self.raekker), Decimal(0))
        if summen != self.total:
            raise PydanticCustomError(
                "forkert_total",
                "total er {total}, men rækkerne giver tilsammen {summen} — ret totalen eller et af tallene",
                {"total": danish_number(self.total), "summen": danish_number(summen), "felt": "total"},
            )
        return self


class Fodnote(Model):
    id: Id
    tekst: Tekst


class Kolonnenavne(Model):
    """Sub-headings some agreements give the two baseline columns."""

    baseline: Navn | None = None
    anden_baseline: Navn | None = None


# --------------------------------------------------------------------------- activities


class Rollegruppe(Model):
    """Roles grouped under a sub-activity, e.g. 'Solvang Bigaard' (2017 template)."""

    titel: Navn | None = None
    indledning: Tekst | None = None
    roller: list[Rolle] = Field(default_factory=list)
    afslutning: Tekst | None = None


class Aktivitet(Model):
    """What every generation's activity has; generations add their fields."""

    id: Id = Field(description="Stabilt id; bruges som anker, så partnere kan linke direkte til aktiviteten")
    navn: Navn
    listetekst: Tekst | None = Field(
        None, description="Aktivitetens linje i listen over aktiviteter, hvis den skal være anderledes end navnet")
    indhold: Tekst = Field(description="Indhold og praksis")


class _MedRoller(Model):
    """Activities with a division of roles, directly or grouped by sub-activity."""

    roller_indledning: Tekst | None = Field(None, description="Tekst før rollerne")
    roller: list[Rolle] = Field(default_factory=list, description="Ansvars- og rollefordeling, én pr. part")
    roller_afslutning: Tekst | None = Field(None, description="Tekst efter rollerne")
    rollegrupper: list[Rollegruppe] = Field(default_factory=list, description="Roller grupperet efter delaktivitet")

    @model_validator(mode="after")
    def _has_roles(self):
        if not self.roller and not self.rollegrupper and self.roller_indledning is None:
            raise PydanticCustomError(
                "ingen_roller", "aktiviteten har ingen ansvars- og rollefordeling — tilføj 'roller:'")
        return self

    @property
    def alle_rollegrupper(self) -> list[Rollegruppe]:
        """One rendering path: plain roles are a group without a title."""
        plain = Rollegruppe(indledning=self.roller_indledning, roller=self.roller, afslutning=self.roller_afslutning)
        has_plain = self.roller or self.roller_indledning or self.roller_afslutning
        return ([plain] if has_plain else []) + list(self.rollegrupper)


class Aktivitet2019(Aktivitet, _MedRoller):
    formaal: Tekst
    maalgrupper: Tekst


class Aktivitet2017(Aktivitet, _MedRoller):
    niveau: Literal["beboerniveau", "kvarterniveau", "bydelsniveau"] | None = Field(
        None, description="Niveau: beboerniveau, kvarterniveau eller bydelsniveau")
    cfbu: Navn | None = Field(None, description="Aktivitetskategori (CFBU)")
    formaal: Tekst | None = Field(None, description="Formål og mål (kan stå tomt i aftalen)")
    maalgrupper: Tekst
    succeskriterier: list[Succeskriterium] = Field(default_factory=list)


class Faktaboks(Model):
    """The fact box of the 2013 generation: per activity, or once for a whole indsatsområde."""

    formaal: Tekst | None = None
    medarbejderressourcer: Tekst | None = None
    succeskriterier: list[Succeskriterium] = Field(default_factory=list, description="Succeskriterier (2013)")
    succeskriterier_betegnelse: Navn | None = Field(
        None, description="Overskriften på succeskriterierne, hvis den ikke er 'Succeskriterier (2013)'")
    samarbejdsrelationer: Tekst | None = None
    lokal_evaluering: Tekst | None = None
    forankring: Tekst | None = None


class Aktivitet2013(Aktivitet, Faktaboks):
    """An activity of a 2013 master plan: narrative, then its fact box."""


# --------------------------------------------------------------------------- delaftaler


class Godkendelse(Model):
    af: Navn = Field(description="Hvem godkendte versionen, fx 'Bestyrelsen'")
    dato: Dato


class DelaftaleBase(Model):
    """What every template generation's delaftale has."""

    id: Id = Field(description="Indsatsområdets stabile id i planen; står i webadressen")
    plan: Id = Field(description="Id på planen (fra plan.yaml)")
    skabelon: str
    indsatsomraade: Navn = Field(description="Indsatsområdets navn, fx 'Sammenhængskraft og medborgerskab'")
    titel: Navn | None = Field(None, description="Titel; standard er 'Delaftale for indsatsområdet …'")
    gyldig_fra: Dato
    gyldig_til: Dato
    raekkefoelge: int | None = Field(
        None, description="Placering blandt planens delaftaler (1, 2, …); uden den sorteres efter indsatsområde")
    godkendt: Godkendelse | None = Field(None, description="Hvem der godkendte versionen, og hvornår")
    tidligere_id: list[Id] = Field(
        default_factory=list, description="Tidligere id'er; deres gamle webadresser sender videre hertil")
    aendringsnote: Tekst | None = Field(None, description="Kort, offentlig note om hvad der er ændret i denne version")

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

    skabelon: Literal["lbf-2019"] = Field(description="Skabelongenerationen")
    parter: list[Partsgruppe] = Field(min_length=1, description="Delaftalens parter")
    aktiviteter: list[Aktivitet2019] = Field(min_length=1)
    delmaal_note: Tekst | None = Field(None, description="Note over tabellen med delmål og indikatorer")
    kolonnenavne: Kolonnenavne | None = None
    delmaal: list[Delmaal] = Field(min_length=1)
    fodnoter: list[Fodnote] = Field(default_factory=list, description="Fodnoter under indikatortabellen")
    medarbejderressourcer: Tekst
    sammenhaeng_fysisk: Tekst | None = Field(None, description="Sammenhæng med den fysiske indsats")
    sammenhaeng_kommunal: Tekst = Field(description="Sammenhæng med den kommunale indsats i boligområdet")
    revision: Tekst = Field(description="Revision af delaftalen: hvem reviderer, og hvem godkender")


class DelaftaleLbf2017(DelaftaleBase):
    """LBF's delaftale template of 2017-18 (seed 004)."""

    skabelon: Literal["lbf-2017"] = Field(description="Skabelongenerationen")
    parter: list[Partsgruppe] = Field(min_length=1, description="Aftalens parter")
    problemkompleks: Tekst = Field(description="Problemkompleks for indsatsområdet; kilder som fodnoter [^1]")
    formaal_og_maal: Tekst
    succeskriterier: list[Succeskriterium] = Field(min_length=1, description="Succeskriterier (lokalt opstillede målinger)")
    fodnoter: list[Fodnote] = Field(default_factory=list, description="Fodnoter under tabellen med succeskriterier")
    aktiviteter_indledning: Tekst | None = Field(None, description="Tekst før listen over aktiviteter")
    medarbejderressourcer: Tekst
    sammenhaeng_kommunal: Tekst
    oekonomi: Summetabel = Field(description="Indsatsområdets økonomi: organisation → finansiering, og totalen")
    konflikthaandtering: Tekst
    revision: Tekst
    aktiviteter: list[Aktivitet2017] = Field(min_length=1)


class Indsatsomraade2013(DelaftaleBase):
    """One indsatsområde of a 2013 master plan; the plan-wide sections are in plan.yaml's 'dokument'."""

    skabelon: Literal["helhedsplan-2013"] = Field(description="Skabelongenerationen")
    parter: list[Partsgruppe] = Field(default_factory=list)
    problemkompleks: Tekst
    formaal: Tekst
    aktiviteter_indledning: Tekst | None = Field(None, description="Tekst under overskriften om aktiviteterne")
    aktiviteter: list[Aktivitet2013] = Field(min_length=1)
    faktaboks: Faktaboks | None = Field(None, description="Én faktaboks for alle indsatsområdets aktiviteter")

    @property
    def visningstitel(self) -> str:
        return self.titel or self.indsatsomraade  # a section of the plan, not a separate agreement


class Indsatsomraadenavn(Model):
    """One focus area in the shared vocabulary, with the other ways agreements write it."""

    id: Id
    navn: Navn = Field(description="Navnet, som oversigterne bruger")
    varianter: list[Navn] = Field(default_factory=list, description="Andre måder, aftalerne skriver navnet på")


class Ordliste(Model):
    """agreements/indsatsomraader.yaml: focus areas that mean the same thing share one id."""

    indsatsomraader: list[Indsatsomraadenavn] = Field(min_length=1)


#: Every template generation by its ``skabelon`` value.
GENERATIONS: dict[str, type[DelaftaleBase]] = {
    "lbf-2019": DelaftaleLbf2019,
    "lbf-2017": DelaftaleLbf2017,
    "helhedsplan-2013": Indsatsomraade2013,
}


def delaftale_schema() -> dict[str, Any]:
    union = Union[tuple(GENERATIONS.values())]  # type: ignore[valid-type]
    schema = TypeAdapter(Annotated[union, Field(discriminator="skabelon")]).json_schema()
    schema["title"] = "Delaftale"
    return schema


def plan_schema() -> dict[str, Any]:
    schema = TypeAdapter(Plan).json_schema()
    schema["title"] = "Boligsocial helhedsplan"
    return schema
