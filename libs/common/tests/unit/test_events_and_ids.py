import json
import uuid
from decimal import Decimal

import pytest
from fedshop_common.events import EmailSent, ItemSnapshot, PurchaseCompleted, UserSnapshot
from fedshop_common.ids import parse_int_id, parse_uuid


def test_a_purchase_event_carries_the_price_as_a_number_and_reads_it_back_exactly():
    event = PurchaseCompleted(
        purchase_id=uuid.uuid4(),
        status="succeeded",
        user=UserSnapshot(id=1, email="a@example.com", first_name="A", last_name="B"),
        item=ItemSnapshot(id=7, name="Backpack", price=Decimal("49.99")),
    )
    body = event.model_dump_json()
    assert json.loads(body)["item"]["price"] == 49.99
    assert PurchaseCompleted.model_validate_json(body).item.price == Decimal("49.99")
    assert event.routing_key == "purchase.succeeded"


def test_routing_keys_follow_the_contract():
    rejected = PurchaseCompleted.model_construct(status="rejected")
    assert rejected.routing_key == "purchase.rejected"
    assert EmailSent.model_construct().routing_key == "email.sent"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (7, 7),
        ("2147483647", 2147483647),
        ("2147483648", None),
        ("0", None),
        ("-3", None),
        ("abc", None),
        ("1.5", None),
        ("", None),
        ("\u0661", None),  # Arabic-Indic one: int() takes it
        (" 1_0 ", None),
        ("+7", None),
        ("07", None),
        (True, None),
    ],
)
def test_integer_ids_outside_what_postgresql_holds_name_nothing(raw, expected):
    assert parse_int_id(raw) == expected


def test_uuids_parse_or_name_nothing():
    value = uuid.uuid4()
    assert parse_uuid(str(value)) == value
    assert parse_uuid(value) == value
    assert parse_uuid("not-a-uuid") is None
