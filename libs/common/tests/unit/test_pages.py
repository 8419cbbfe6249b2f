"""Cursors and page requests: opaque, checked when read back, bounded."""

import base64
import json
import uuid
from datetime import UTC, datetime

import pytest
from fedshop_common.errors import InvalidInput
from fedshop_common.pages import MAX_PAGE, Keyset, PageRequest, page_of
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Uuid

TABLE = Table(
    "rows",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True)),
    Column("key", Uuid),
)
BY_ID = Keyset((TABLE.c.id,))
NEWEST_FIRST = Keyset((TABLE.c.at, TABLE.c.key), descending=True)


class Row:
    def __init__(self, id: int, at: datetime | None = None, key: uuid.UUID | None = None):
        self.id, self.at, self.key = id, at, key


def encoded(values: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def test_a_cursor_reads_back_as_the_rows_key():
    row = Row(7, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), uuid.uuid4())
    assert BY_ID.decode(BY_ID.cursor_of(row)) == [7]
    assert NEWEST_FIRST.decode(NEWEST_FIRST.cursor_of(row)) == [row.at, row.key]


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "zz",
        "!!",
        encoded([1, 2]),
        encoded(["x"]),
        encoded([True]),
        encoded([2**40]),
        encoded({}),
    ],
)
def test_anything_else_is_a_422_naming_after(cursor):
    with pytest.raises(InvalidInput) as raised:
        BY_ID.decode(cursor)
    assert raised.value.field == "after"


@pytest.mark.parametrize("first", [0, -1, MAX_PAGE + 1])
def test_first_is_1_to_100(first):
    with pytest.raises(InvalidInput) as raised:
        PageRequest(first)
    assert raised.value.field == "first"
    assert PageRequest(MAX_PAGE).first == MAX_PAGE


def test_a_page_keeps_first_rows_and_knows_there_is_more():
    rows = [Row(i) for i in range(1, 5)]
    page = page_of(rows, BY_ID, 3, total_count=10)
    assert [r.id for r in page.rows] == [1, 2, 3]
    assert page.has_next and BY_ID.decode(page.end_cursor) == [3]
    last = page_of(rows[:2], BY_ID, 3, total_count=2)
    assert not last.has_next and last.total_count == 2
    assert page_of([], BY_ID, 3, 0).end_cursor is None
