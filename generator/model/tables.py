"""Tables of named amounts (budgets, a plan's tenancies): cells as written, ``ukendt`` for an
amount not known yet, and totals checked against their column."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializationInfo,
    ValidationError,
    WithJsonSchema,
    field_serializer,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from generator.model.fields import (
    NAVN,
    TAL,
    Model,
    Navn,
    Tekst,
    check_amount,
    check_name,
    danish_number,
    resolve_forward_references,
    strip_text,
)
from generator.model.messages import BUILTIN_ERROR_TYPES as _PYDANTIC_TYPES

#: An amount not known yet (a draft budget): written ``ukendt`` in the YAML, shown as "ukendt".
UKENDT = "ukendt"
#: How documents write an amount not known yet ('??', '-', 'x', …): told to write ``ukendt`` instead.
UNKNOWN_LOOKALIKE = re.compile(r"\?+|-+|x+|ukendt endnu|mangler", re.I)


def check_cell(value: Any) -> Any:
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
        return check_amount(value)
    except PydanticCustomError as exc:
        if "graense" in (exc.context or {}):
            raise  # a number, but too large: that message says so
        raise PydanticCustomError(
            "beloeb",
            "{value} er ikke et tal — skriv fx 3.100 eller 0,5 (punktum for tusinder, komma for "
            "decimaler) eller ukendt",
            {"value": repr(value) if not isinstance(value, str) else f"'{value}'"},
        ) from None


Celle = Annotated[Decimal | Literal["ukendt"], BeforeValidator(check_cell), TAL]
_CELL_SCHEMA = {"type": ["string", "number"], "description": "Tal som i aftalen, fx 3.100 eller 0,5, eller 'ukendt'"}


def _one_or_more(value: Any) -> Any:
    """A single amount is shorthand for a row of one column."""
    return value if isinstance(value, list) else [value]


def _cell_data(cell: Any) -> Any:
    """An amount in the data files: '3100' or '0,5', read back the same by :func:`check_cell`
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
    BeforeValidator(strip_text),
    BeforeValidator(_heading),
    AfterValidator(check_name),
    NAVN,
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


resolve_forward_references(globals())
