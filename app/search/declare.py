"""How a search filter is declared, and what is derived from the declarations.

A filter is one ``Filter`` object (see ``app.search.filters`` for the declarations):
its query parameter with the type and limits OpenAPI documents, how the text of the
query string is read, the message for a bad value, the SQL condition, the offers whose
fact is not known (kept, but listed apart), the words of "you searched for", the link
that removes it, the form field's template, and whether it depends on the clock.

From the list of declarations come ``Filters`` (the parsed search, back into URLs),
``parse_filters`` (every bad parameter named at once) and the ``SearchQuery`` model
(the OpenAPI parameters of the page, its twins and ``GET /api/v1/offers``), as
Datasette's ``Filters`` and digital-land's ``QueryFilters`` do.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from sqlalchemy import ColumnElement

UNSET: Any = object()  # a parameter that was not given


class BadValue(Exception):
    """A value a filter cannot read; ``message`` is what the page says."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Described:
    """What a filter may need to say itself in words: the result, the district names,
    the place as typed on the page."""

    result: Any
    districts: Mapping[str, str]
    place: str | None = None


BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class Query:
    """What a filter's SQL may need: the moment of the search in Europe/Berlin (for
    the filters that depend on the clock), the database's backend, and the kinds with
    few offers (``app.search.kinds.rare_kinds``: the kind filter reads those by
    their kind instead of testing every candidate)."""

    now: datetime
    backend: Any = None
    rare_kinds: frozenset[str] = frozenset()

    @classmethod
    def at(
        cls,
        now: datetime | None = None,
        backend: Any = None,
        rare_kinds: frozenset[str] = frozenset(),
    ) -> "Query":
        return cls((now or datetime.now(BERLIN)).astimezone(BERLIN), backend, rare_kinds)


class Filter:
    """One search parameter. Subclasses override what they need; the defaults are a
    single optional text value that filters nothing by itself."""

    name: str = ""
    annotation: Any = str
    default: Any = ""
    many: bool = False  # repeatable (``kategorie=a&kategorie=b``)
    kept: bool = True  # kept in ``Filters`` and written back into URLs
    keep_typed: bool = False  # the form shows a bad value as typed
    clock: bool = False  # the result depends on the time of the request
    error_key: str | None = None  # the name its errors are reported under
    template: str | None = None  # the form field (``components/filter_fields/``)

    def field(self) -> Any:
        """The pydantic ``Field`` (type limits and description for OpenAPI)."""
        return Field(self.default)

    def normalise(self, value: Any) -> Any:
        """A value given in Python (``Filters(barrierefrei=True)``) as the filter keeps it."""
        return tuple(value) if self.many else value

    def read(self, strings: list[str]) -> Any:
        """The query string's values as the model takes them (``UNSET``: not given)."""
        if self.many:
            return [s.strip() for s in strings if s.strip()]
        value = (strings or [""])[-1].strip()
        return value if value else UNSET

    def message(self, given: Any) -> str:
        """What the page says about a bad value."""
        return self.name

    def fallback(self, given: Any) -> Any:
        """The value kept when ``given`` is bad (``UNSET``: the default)."""
        return UNSET

    def check(self, value: Any, known: "Known") -> str | None:
        """A check that needs the database's facts (e.g. the district names)."""
        return None

    def clears(self) -> tuple[str, ...]:
        """The values emptied when this parameter is bad."""
        return ()

    def is_set(self, value: Any) -> bool:
        return value not in (None, "", (), False, UNSET)

    def count(self, filters: "Filters") -> int:
        """How many filters it adds to "N aktiv"."""
        value = filters[self.name]
        return len(value) if self.many else int(self.is_set(value))

    def strings(self, value: Any, filters: "Filters") -> list[str]:
        """Its part of the URL."""
        if not self.is_set(value):
            return []
        if self.many:
            return [str(v) for v in value]
        return [str(value)]

    def removed(self, filters: "Filters") -> dict[str, Any]:
        """The changes that remove it from a search."""
        return {self.name: self.default}

    def condition(self, value: Any, ctx: Query) -> ColumnElement[bool] | None:
        """The SQL condition, or None when it filters nothing (or ranks instead)."""
        return None

    def unknown(self, value: Any, ctx: Query) -> ColumnElement[bool] | None:
        """The offers kept although their fact is not known: listed after the known
        ones, counted and labelled (``unknown_label``)."""
        return None

    def unknown_label(self) -> str:
        return ""

    def choices(self, session: Any) -> Any:
        """What its form field offers that depends on the catalogue (None: nothing)."""
        return None

    def sentence(self, value: Any, ctx: Described) -> str | None:
        """Its words in "you searched for" (after the number and the kinds)."""
        return None

    def chips(self, filters: "Filters", ctx: Described) -> list[tuple[str, str]]:
        """(label, query string without it) for the list of active filters."""
        return []

    def relax(self, filters: "Filters") -> tuple[str, str] | None:
        """(label, query string without it) suggested when nothing was found."""
        return None


@dataclass
class Known:
    """What the parser checks values against."""

    districts: Sequence[str] = ()


class FilterErrors(Exception):
    """Bad query parameters, keyed by the parameter's name."""

    def __init__(self, errors: dict[str, str], filters: "Filters") -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors
        self.filters = filters


class Filters:
    """A parsed search: the value of each declared filter (``filters.alter``), and
    the same search as URLs (``params``, ``query_string``, ``without``)."""

    declared: tuple[Filter, ...] = ()
    by_name: dict[str, Filter] = {}

    def __init__(self, raw: dict[str, str] | None = None, **values: Any) -> None:
        unknown = set(values) - set(self.by_name)
        if unknown:
            raise TypeError(f"unknown filters: {sorted(unknown)}")
        merged = {f.name: f.default for f in self.declared if f.kept}
        merged.update(values)
        for f in self.declared:
            if f.kept:
                merged[f.name] = f.normalise(merged[f.name])
        object.__setattr__(self, "_values", merged)
        object.__setattr__(self, "raw", dict(raw or {}))

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Filters are immutable; use replace()")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filters) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, repr(v)) for k, v in self._values.items())))

    def __repr__(self) -> str:
        set_ = {k: v for k, v in self._values.items() if v != self.by_name[k].default}
        return f"Filters({set_})"

    def replace(self, **changes: Any) -> "Filters":
        return type(self)(raw=self.raw, **{**self._values, **changes})

    def active(self) -> list[Filter]:
        """The declared filters that are set (in declaration order)."""
        return [f for f in self.declared if f.kept and f.count(self)]

    @property
    def is_empty(self) -> bool:
        return not self.active()

    @property
    def active_count(self) -> int:
        """How many filters are set (each kind counts; a place and its radius once)."""
        return sum(f.count(self) for f in self.declared if f.kept)

    @property
    def depends_on_clock(self) -> bool:
        return any(f.clock for f in self.active())

    def params(self, **changes: Any) -> list[tuple[str, str]]:
        """The query string pairs of these filters, with ``changes`` applied."""
        f = self.replace(**changes) if changes else self
        return [(d.name, s) for d in f.declared if d.kept for s in d.strings(f[d.name], f)]

    def query_string(self, **changes: Any) -> str:
        return urlencode(self.params(**changes))

    def without(self, name: str, value: str | None = None) -> str:
        """Query string with one filter (or one value of a repeatable one) removed,
        back on page 1."""
        declared = self.by_name[name]
        if declared.many and value is not None:
            changes: dict[str, Any] = {name: tuple(v for v in self[name] if v != value)}
        else:
            changes = declared.removed(self)
        return self.query_string(**changes, seite=1)

    def chips(self, ctx: Described) -> list[tuple[str, str]]:
        return [c for f in self.declared if f.kept for c in f.chips(self, ctx)]

    def relaxations(self) -> list[tuple[str, str]]:
        found = (f.relax(self) for f in self.active())
        return [r for r in found if r is not None]


def filter_set(declared: Iterable[Filter]) -> type[Filters]:
    """The ``Filters`` class of these declarations."""
    items = tuple(declared)
    return type("Filters", (Filters,), {"declared": items, "by_name": {f.name: f for f in items}})


def query_model(declared: Iterable[Filter], doc: str) -> type[BaseModel]:
    """The pydantic model of the parameters: OpenAPI documents it, the parser checks
    values by it."""
    fields = {f.name: (f.annotation, f.field()) for f in declared}
    return create_model(  # type: ignore[call-overload]
        "SearchQuery", __config__=ConfigDict(extra="ignore"), __doc__=doc, **fields
    )


@dataclass
class Parser:
    """Reads the query string by the declarations and the model."""

    filters: type[Filters]
    model: type[BaseModel]
    extra: Callable[[dict[str, Any], dict[str, str]], None] = field(default=lambda v, e: None)

    def __call__(self, pairs: Iterable[tuple[str, str]], known: Known) -> Filters:
        params: dict[str, list[str]] = {}
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        declared = self.filters.declared
        by_name = self.filters.by_name
        errors: dict[str, str] = {}
        raw: dict[str, str] = {}
        values: dict[str, Any] = {}
        for f in declared:
            try:
                value = f.read(params.get(f.name, []))
            except BadValue as exc:
                errors[f.error_key or f.name] = exc.message
                if f.keep_typed and not f.many:
                    raw[f.name] = (params.get(f.name) or [""])[-1].strip()
                continue
            if value is not UNSET:
                values[f.name] = value
                if f.keep_typed:
                    raw[f.name] = value
        self.extra(values, errors)
        try:
            query = self.model.model_validate(values)
        except ValidationError as exc:
            bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
            clean = {k: v for k, v in values.items() if k not in bad}
            for name in sorted(bad):
                f = by_name[name]
                errors[f.error_key or name] = by_name[f.error_key or name].message(values[name])
                kept = f.fallback(values[name])
                if kept is not UNSET:
                    clean[name] = kept
            query = self.model.model_validate(clean)
        result = {f.name: getattr(query, f.name) for f in declared if f.kept}
        for f in declared:
            if f.kept and f.many:
                result[f.name] = tuple(dict.fromkeys(result[f.name]))
        for f in declared:
            if f.kept and f.name not in errors:
                problem = f.check(result[f.name], known)
                if problem:
                    errors[f.name] = problem
                    result[f.name] = f.default
        for name in list(errors):
            for cleared in by_name[name].clears() if name in by_name else ():
                result[cleared] = by_name[cleared].default
        filters = self.filters(raw=raw, **result)
        if errors:
            raise FilterErrors(errors, filters)
        return filters
