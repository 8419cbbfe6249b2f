"""Pages, not everything: keyset (cursor) pagination in SQL, the GraphQL connection shape and
the REST `Link: <…>; rel="next"` header, written once for every service.

A list is ordered by a `Keyset` (unique columns, one direction). A page asks for `first` rows
(at most MAX_PAGE) `after` a cursor; the query fetches `first + 1` rows `WHERE (keys) > (cursor)`
(or `<` descending), so whether there is a next page costs no second query. A cursor is the last
row's key, JSON in URL-safe base64: opaque to clients, checked when read back (422 naming
`after`).
"""

import base64
import binascii
import json
import uuid
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

import strawberry
from pydantic import BaseModel
from sqlalchemy import BigInteger, ColumnElement, Select, func, literal, select, true, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from fedshop_common.errors import InvalidInput

MAX_PAGE = 100
DEFAULT_PAGE = 20

T = TypeVar("T")
N = TypeVar("N")
K = TypeVar("K", bound=Hashable)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def _parsed(value: Any, column_type: Any) -> Any:
    python_type = column_type.python_type
    if python_type is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("not an integer")
        bits = 63 if isinstance(column_type, BigInteger) else 31
        if not -(2**bits) <= value < 2**bits:
            raise ValueError("out of range")  # no key is, and PostgreSQL would refuse it
        return value
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is uuid.UUID:
        return uuid.UUID(value)
    if python_type is Decimal:
        return Decimal(value)
    return python_type(value)


@dataclass(frozen=True)
class PageRequest:
    """`first` rows after the cursor `after`; validated (`first` 1..MAX_PAGE)."""

    first: int = DEFAULT_PAGE
    after: str | None = None
    # The names the client used, for the 422 (GraphQL `first`, REST `limit`).
    first_name: str = "first"
    after_name: str = "after"
    # Whether the list's total is wanted: a count over the whole list, which a large list pays
    # on every page. REST pages never carry it; a GraphQL page only when `totalCount` is asked.
    counted: bool = True

    @classmethod
    def asked_in(cls, info: Info, first: int, after: str | None) -> "PageRequest":
        """A GraphQL connection's page, counted only when the query selects `totalCount`."""
        return cls(first, after, counted=_selects(info.selected_fields, "totalCount"))

    def __post_init__(self) -> None:
        if isinstance(self.first, bool) or not isinstance(self.first, int):
            raise InvalidInput(f"{self.first_name} must be an integer", field=self.first_name)
        if not 1 <= self.first <= MAX_PAGE:
            raise InvalidInput(
                f"{self.first_name} must be between 1 and {MAX_PAGE}", field=self.first_name
            )


@dataclass(frozen=True)
class Keyset:
    """The order of a list: unique (together) columns, all ascending or all descending."""

    columns: Sequence[Any]  # InstrumentedAttribute or Column
    descending: bool = False

    def order_by(self) -> list[ColumnElement]:
        return [c.desc() if self.descending else c.asc() for c in self.columns]

    def cursor_of(self, row: Any) -> str:
        values = [_jsonable(getattr(row, c.key)) for c in self.columns]
        return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")

    def decode(self, cursor: str, field: str = "after") -> list[Any]:
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode()))
            if not isinstance(values, list) or len(values) != len(self.columns):
                raise ValueError("wrong shape")
            return [_parsed(v, c.type) for v, c in zip(values, self.columns, strict=True)]
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
            raise InvalidInput(f"{field} is not a cursor of this list", field=field) from error

    def beyond(self, cursor: str, field: str = "after") -> ColumnElement[bool]:
        """The condition: rows after the cursor in this order."""
        values = self.decode(cursor, field)
        keys = tuple_(*self.columns)
        bound = tuple_(*[literal(v, c.type) for v, c in zip(values, self.columns, strict=True)])
        return keys < bound if self.descending else keys > bound


@dataclass
class Page(Generic[T]):
    rows: list[T]
    cursors: list[str]
    has_next: bool
    total_count: int | None  # None when not counted (PageRequest.counted)

    @property
    def end_cursor(self) -> str | None:
        return self.cursors[-1] if self.cursors else None

    def map(self, convert: Callable[[T], N]) -> "Page[N]":
        return Page([convert(r) for r in self.rows], self.cursors, self.has_next, self.total_count)


def page_of(rows: Sequence[T], keyset: Keyset, first: int, total_count: int | None) -> Page[T]:
    """A page from the `first + 1` rows a keyset query fetched."""
    kept = list(rows[:first])
    return Page(kept, [keyset.cursor_of(r) for r in kept], len(rows) > first, total_count)


async def fetch_page(
    session: AsyncSession, query: Select, keyset: Keyset, page: PageRequest
) -> Page[Any]:
    """One page of `query` (a select of one entity, filters applied): the rows, and the total
    when the request counts it."""
    total = None
    if page.counted:
        counting = select(func.count()).select_from(query.order_by(None).subquery())
        total = await session.scalar(counting) or 0
    if page.after is not None:
        query = query.where(keyset.beyond(page.after, page.after_name))
    rows = (await session.scalars(query.order_by(*keyset.order_by()).limit(page.first + 1))).all()
    return page_of(rows, keyset, page.first, total)


def _selects(fields: Sequence[Any], name: str) -> bool:
    """Whether one of these fields selects `name` directly (through fragments too)."""
    for field in fields:
        for selection in getattr(field, "selections", ()):
            if isinstance(selection, SelectedField):
                if selection.name == name:
                    return True
            elif _selects([selection], name):  # a fragment: its selections are the field's
                return True
    return False


class PageRefused(BaseModel):
    """A REST page refused: `after` not a cursor of this list (a sentence), or `limit` out of
    range (FastAPI's list of invalid fields)."""

    detail: str | list[dict[str, Any]]


# What every paged REST route documents: a cursor is opaque, so no schema can tell a client's
# string from one of ours, and a stale or foreign one is a 422.
PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "model": PageRefused,
        "description": f"`limit` out of 1..{MAX_PAGE}, or `after` not a cursor of this list",
    }
}


async def fetch_pages_per_owner(
    session: AsyncSession,
    entity: Any,
    owner: Any,
    owners: Sequence[Any],
    keyset: Keyset,
    page: PageRequest,
) -> dict[Any, Page[Any]]:
    """The same page of `entity` rows for each of these owners (e.g. each user's purchases),
    with each one's total: one query for a whole page of owners. The rows beyond the cursor are
    numbered per owner (a window partitioned by owner and by "beyond the cursor"), and the first
    `first + 1` of each kept. `owner` is the entity's column naming its owner. (The window's
    labels are named so that no entity's column clashes with them.)"""
    beyond = keyset.beyond(page.after, page.after_name) if page.after else true()
    numbered = (
        select(
            entity,
            func.count().over(partition_by=owner).label("page_total_count"),
            func.row_number()
            .over(partition_by=(owner, beyond), order_by=keyset.order_by())
            .label("page_position"),
            beyond.label("page_beyond"),
        )
        .where(owner.in_(owners))
        .subquery()
    )
    row = aliased(entity, numbered)
    query = (
        select(row, numbered.c.page_total_count)
        .where(numbered.c.page_beyond, numbered.c.page_position <= page.first + 1)
        .order_by(numbered.c[owner.key], numbered.c.page_position)
    )
    found: dict[Any, list[Any]] = {key: [] for key in owners}
    totals: dict[Any, int] = {}
    for entry, total in (await session.execute(query)).all():
        key = getattr(entry, owner.key)
        found[key].append(entry)
        totals[key] = total
    return {
        key: page_of(rows, keyset, page.first, totals.get(key, 0)) for key, rows in found.items()
    }


async def pages_by_request(
    keys: Sequence[tuple[K, PageRequest]],
    load: Callable[[list[K], PageRequest], Awaitable[dict[K, Page[T]]]],
) -> list[Page[T]]:
    """A DataLoader's batch of (owner, page request) keys: one `load` per distinct page request,
    so a page of owners asking the same page costs one query."""
    wanted: dict[PageRequest, list[K]] = {}
    for owner, page in keys:
        wanted.setdefault(page, []).append(owner)
    pages: dict[tuple[K, PageRequest], Page[T]] = {}
    for page, owners in wanted.items():
        found = await load(list(dict.fromkeys(owners)), page)
        pages |= {(owner, page): found[owner] for owner in owners}
    return [pages[key] for key in keys]


def link_next(request: Request, response: Response, page: Page[Any], limit: int) -> None:
    """`Link: <this URL with ?limit=&after=>; rel="next"` when there is a next page."""
    if page.has_next and page.end_cursor:
        url = request.url.include_query_params(limit=limit, after=page.end_cursor)
        response.headers["Link"] = f'<{url}>; rel="next"'


# GraphQL: the connection shape. PageInfo is shared by every subgraph (a value type).
@strawberry.federation.type(shareable=True)
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    cursor: str
    node: N


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    total_count: int

    @classmethod
    def of(cls, page: Page[Any], convert: Callable[[Any], N]) -> "Connection[N]":
        return cls(
            edges=[
                Edge(cursor=c, node=convert(r))
                for r, c in zip(page.rows, page.cursors, strict=True)
            ],
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=page.end_cursor),
            total_count=page.total_count,
        )
