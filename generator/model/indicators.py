"""Goals and indicators: the delmål with their indicators, success criteria, the footnotes
under their tables, and the measurements of indicators over time (maalinger.yaml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from generator.model.fields import (
    ADRESSERING,
    Aarstal,
    Beloeb,
    Fodnotehenvisning,
    Id,
    Model,
    Navn,
    Tekst,
    Tidspunkt,
    at_most,
    danish_number,
    resolve_forward_references,
)


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


@dataclass(frozen=True)
class IndicatorColumn:
    """One column of the indicator table, declared once for every place that shows or reads it:
    the page's table and the focus area's overview (``title``, its Danish name: the model field's
    title), the open data's indikatorer.csv (``csv``, its name there, in this order), the data
    package's schema of it (``csv_type``, ``description``), and the importer, which recognises an
    agreement's column by its heading (``pattern``, on the lowercased heading).

    ``field`` is the indicator's field, or ``delmaal`` for the text of the delmål it belongs to;
    ``heading``: the page's column heading, when it says more than ``title`` (HTML). A column
    without a ``pattern`` is data only: not a column of the page, nor of an agreement's table."""

    field: str
    csv: str
    csv_type: str  # Frictionless field type
    description: str  # Danish
    pattern: str | None = None
    heading: str | None = None

    @property
    def title(self) -> str:
        """The Danish name: the title of the model field the column shows."""
        owner, name = (Delmaal, "tekst") if self.field == "delmaal" else (Indikator, self.field)
        return owner.model_fields[name].title or name

    @property
    def on_page(self) -> bool:
        return self.pattern is not None

    def value(self, goal: Delmaal, indicator: Indikator) -> Any:
        """What the column holds for ``indicator`` of ``goal`` (None when the field is not filled)."""
        return goal.tekst if self.field == "delmaal" else getattr(indicator, self.field)

    def note(self, names: Kolonnenavne | None) -> str | None:
        """The sub-heading an agreement gives this column (``kolonnenavne``), if any."""
        return getattr(names, self.field, None) if names is not None else None


#: The indicator table's columns, in the order of indikatorer.csv; the page shows those with a
#: ``pattern`` in the same order (Delmål · Indikator · Baseline · Evt. anden baseline · Baseline år
#: · Datakilde), and an agreement's table without a heading row is read in that order.
INDICATOR_COLUMNS: tuple[IndicatorColumn, ...] = (
    IndicatorColumn("delmaal", "delmaal", "string", "Delmålet, indikatoren hører til", r"^delmål"),
    IndicatorColumn(
        "id", "indikator_id", "string", "Indikatorens stabile id (tomt, hvis aftalen ikke har givet den et)"
    ),
    IndicatorColumn("tekst", "indikator", "string", "Indikatoren: det, der måles", r"^indikator"),
    IndicatorColumn("type", "type", "string", "'effekt' eller 'aktivitetsnaer' (aktivitetsnær indikator)"),
    IndicatorColumn(
        "baseline",
        "baseline",
        "string",
        "Baseline for boligområdet/målgruppen, som aftalen skriver den",
        r"^baseline(?!\s*år)",
        heading="Baseline boligområde/<wbr>målgruppe",
    ),
    IndicatorColumn(
        "anden_baseline", "anden_baseline", "string", "Evt. anden baseline til sammenligning", r"^evt\.? anden"
    ),
    IndicatorColumn("baseline_aar", "baseline_aar", "integer", "Året baseline er målt", r"^baseline\s*år"),
    IndicatorColumn("datakilde", "datakilde", "string", "Datakilden", r"^datakilde"),
)


_LEADING_NUMBER = re.compile(r"^\s*(-?\d{1,3}(?:\.\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?)(?=\s|%|$)")


def baseline_number(indicator: Indikator) -> Decimal | None:
    """The baseline as a number when it starts with one ('61 % føler sig trygge' -> 61) and its
    year is known (a point needs both); else None (it is shown as text in the indicator table)."""
    if indicator.baseline is None or indicator.baseline_aar is None:
        return None
    match = _LEADING_NUMBER.match(indicator.baseline)
    return Decimal(match[1].replace(".", "").replace(",", ".")) if match else None


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
        at_most(
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


class Fodnote(Model):
    model_config = ConfigDict(title="Fodnote")  # what the history page calls one of these

    bestemt: ClassVar[str] = "fodnoten"  # "giv fodnoten sit eget id"
    id: Id = Field(title="Id")
    tekst: Tekst = Field(title="Fodnote")


class Kolonnenavne(Model):
    """Sub-headings some agreements give the two baseline columns."""

    baseline: Navn | None = Field(None, title="Kolonnenavn for baseline")
    anden_baseline: Navn | None = Field(None, title="Kolonnenavn for anden baseline")


resolve_forward_references(globals())
