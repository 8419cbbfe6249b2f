"""The users service against a real PostgreSQL: REST routes, GraphQL fields and entity lookups."""

import pytest

from .conftest import graphql


async def test_lists_the_seeded_users_with_the_task_statement_fields(client):
    response = await client.get("/users")
    assert response.status_code == 200
    users = response.json()
    assert len(users) >= 5
    assert users[0] == {
        "id": 1,
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada.lovelace@example.com",
    }


async def test_gets_one_user_by_id(client):
    response = await client.get("/users/2")
    assert response.status_code == 200
    assert response.json()["first_name"] == "Alan"


@pytest.mark.parametrize("bad_id", ["999999", "0", "-1", "abc", "99999999999999999999"])
async def test_an_id_that_names_no_user_is_a_404_with_a_reason(client, bad_id):
    response = await client.get(f"/users/{bad_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": f"user {bad_id} not found"}


async def test_graphql_reads_users_and_one_user(client):
    result = await graphql(
        client,
        "query($id: ID!) { users { edges { node { id firstName } } } "
        "user(id: $id) { lastName email } }",
        id="3",
    )
    assert {"node": {"id": "1", "firstName": "Ada"}} in result["data"]["users"]["edges"]
    assert result["data"]["user"] == {"lastName": "Hopper", "email": "grace.hopper@example.com"}


async def test_graphql_unknown_user_is_null(client):
    result = await graphql(client, '{ user(id: "424242") { id } nope: user(id: "x") { id } }')
    assert result["data"] == {"user": None, "nope": None}


async def test_resolves_user_entities_for_the_router_in_order(client):
    representations = [{"__typename": "User", "id": i} for i in ("4", "1", "424242")]
    result = await graphql(
        client,
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id firstName } } }",
        r=representations,
    )
    assert result["data"]["_entities"] == [
        {"id": "4", "firstName": "Edsger"},
        {"id": "1", "firstName": "Ada"},
        None,
    ]


async def test_health_reports_the_database(client):
    response = await client.get("/health")
    assert response.json() == {
        "status": "ok",
        "dependencies": {"database": "ok", "cache": "ok"},
        "tasks": {},
    }


@pytest.mark.parametrize(
    ("selection", "counted"),
    [
        ("edges { node { id } }", False),
        ("totalCount edges { node { id } }", True),
        ("...Counted", True),  # asked through a fragment
    ],
)
async def test_a_page_of_users_counts_the_whole_list_only_when_totalcount_is_asked(
    client, sql_statements, selection, counted
):
    query = f"query {{ users(first: 2) {{ {selection} }} }}"
    if "Counted" in selection:
        query += " fragment Counted on UserConnection { totalCount }"
    result = await graphql(client, query)
    assert not result.get("errors"), result
    counts = [s for s in sql_statements if "count(" in s.lower()]
    assert len(counts) == (1 if counted else 0)
    if counted:
        assert result["data"]["users"]["totalCount"] >= 5


async def test_a_rest_page_of_users_never_counts_the_whole_list(client, sql_statements):
    response = await client.get("/users", params={"limit": 2})
    assert response.status_code == 200 and len(response.json()) == 2
    assert not [s for s in sql_statements if "count(" in s.lower()]
