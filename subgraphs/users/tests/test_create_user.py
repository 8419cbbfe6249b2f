"""Creating users: validation, case-insensitive uniqueness under concurrency, REST and GraphQL."""

import asyncio
import uuid

import pytest

from .conftest import graphql

CREATE_USER = """
mutation($input: CreateUserInput!) { createUser(input: $input) { id firstName lastName email } }
"""


def unique_email(case: str = "lower") -> str:
    email = f"new.user.{uuid.uuid4().hex[:10]}@example.com"
    return email.upper() if case == "upper" else email


async def test_creates_a_user_that_every_read_shows_at_once(client):
    await client.get("/users")  # fills the cache, which the create must invalidate
    body = {"first_name": " Katherine ", "last_name": "Johnson", "email": unique_email()}
    response = await client.post("/users", json=body)

    assert response.status_code == 201
    created = response.json()
    assert created == {**body, "id": created["id"], "first_name": "Katherine"}
    assert created in (await client.get("/users")).json()
    assert (await client.get(f"/users/{created['id']}")).json() == created
    result = await graphql(client, "query($id: ID!) { user(id: $id) { email } }", id=created["id"])
    assert result["data"]["user"]["email"] == body["email"]


async def test_an_email_taken_in_any_case_is_a_409_and_creates_nothing(client):
    email = unique_email()
    assert (await client.post("/users", json=user_body(email))).status_code == 201
    count = len((await client.get("/users")).json())

    response = await client.post("/users", json=user_body(email.upper()))
    assert response.status_code == 409
    assert response.json()["detail"].lower() == f"a user with email {email} already exists"
    assert len((await client.get("/users")).json()) == count


async def test_concurrent_creates_with_one_email_give_one_user_and_409s(client):
    email = unique_email()
    variants = [email, email.upper(), email.title(), email, email.upper(), email]
    responses = await asyncio.gather(*(client.post("/users", json=user_body(e)) for e in variants))
    assert sorted(r.status_code for r in responses) == [201] + [409] * 5
    matching = [u for u in (await client.get("/users")).json() if u["email"].lower() == email]
    assert len(matching) == 1


def user_body(email: str, **overrides) -> dict:
    return {"first_name": "Dorothy", "last_name": "Vaughan", "email": email, **overrides}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"last_name": "Vaughan", "email": "d@example.com"}, "first_name"),
        (user_body("not-an-email"), "email"),
        (user_body("d@example.com", first_name="   "), "first_name"),
        (user_body("d@example.com", last_name="x" * 101), "last_name"),
        (user_body("d@example.com", first_name=7), "first_name"),
        (user_body("d@example.com", role="admin"), "role"),
    ],
)
async def test_a_bad_body_is_a_422_naming_the_field_and_creates_nothing(client, body, field):
    count = len((await client.get("/users")).json())
    response = await client.post("/users", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert len((await client.get("/users")).json()) == count


async def test_a_body_that_is_not_json_is_a_422(client):
    response = await client.post(
        "/users", content=b"{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


async def test_graphql_creates_a_user(client):
    email = unique_email()
    result = await graphql(
        client, CREATE_USER, input={"firstName": "Mary", "lastName": "Jackson", "email": email}
    )
    assert result["data"]["createUser"]["email"] == email
    assert result["data"]["createUser"]["firstName"] == "Mary"


async def test_graphql_bad_input_is_bad_user_input_naming_the_field(client):
    result = await graphql(
        client, CREATE_USER, input={"firstName": "Mary", "lastName": "Jackson", "email": "nope"}
    )
    [error] = result["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "email"}
    assert result["data"] is None


async def test_graphql_taken_email_is_a_conflict(client):
    email = unique_email()
    create = {"firstName": "Mary", "lastName": "Jackson", "email": email}
    await graphql(client, CREATE_USER, input=create)
    result = await graphql(client, CREATE_USER, input={**create, "email": email.upper()})
    assert result["errors"][0]["extensions"] == {"code": "CONFLICT", "field": "email"}
    assert "already exists" in result["errors"][0]["message"]


@pytest.mark.parametrize(
    ("raw_body", "field"),
    [  # found by schemathesis: both used to be 500s
        ('{"first_name": "a\\u0000b", "last_name": "x", "email": "nul@example.com"}', "first_name"),
        ('{"first_name": "\\udb3f", "last_name": "x", "email": "sur@example.com"}', "first_name"),
    ],
)
async def test_a_nul_or_a_lone_surrogate_is_a_422_not_a_500(client, raw_body, field):
    response = await client.post(
        "/users", content=raw_body.encode(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
