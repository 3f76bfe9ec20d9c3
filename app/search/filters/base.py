"""What several filters share: the limits and the shape of a filter whose fact an
offer may leave unstated."""

from typing import Any

from sqlalchemy import ColumnElement, or_

from app.search.declare import Filter, Query

MAX_QUERY_LENGTH = 200

TRUE_WORDS = {"1", "true", "ja", "on", "yes"}
FALSE_WORDS = {"", "0", "false", "nein", "off", "no"}


class ListedApart(Filter):
    """A filter whose fact an offer may leave unstated ("Kosten nicht angegeben").
    Such offers are kept, and listed apart after the ones that match, under
    ``unknown_label``; ``missing`` says which they are, ``matches`` which match."""

    def matches(self, value: Any, ctx: Query) -> ColumnElement[bool]:
        """The offers that state the fact and match ``value``."""
        raise NotImplementedError

    def missing(self, value: Any, ctx: Query) -> ColumnElement[bool]:
        """The offers that do not state the fact."""
        raise NotImplementedError

    def condition(self, value: Any, ctx: Query) -> ColumnElement[bool] | None:
        if not self.is_set(value):
            return None
        return or_(self.matches(value, ctx), self.missing(value, ctx))

    def unknown(self, value: Any, ctx: Query) -> ColumnElement[bool] | None:
        return self.missing(value, ctx) if self.is_set(value) else None
