"""`router/compose.mjs --check` (what `make test` runs) fails clearly on a broken or stale graph.

Every case composes subgraph schemas written to a temporary folder; `--check` never writes
`router/supergraph.graphql`, so the committed file is left alone.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import ROOT

COMPOSE = ROOT / "router" / "compose.mjs"
LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.11", import: ["@key"])'
SHOP = f"""{LINK}
type Query {{ thing(id: ID!): Thing }}
type Thing @key(fields: "id") {{ id: ID! name: String! }}
"""
REVIEWS = f"""{LINK}
type Query {{ reviews: [Int!]! }}
type Thing @key(fields: "id") {{ id: ID! stars: Int! }}
"""
# Declares `Thing.name` again, with another type, and without @shareable.
REVIEWS_CLASHING = f"""{LINK}
type Query {{ reviews: [Int!]! }}
type Thing @key(fields: "id") {{ id: ID! name: Int! }}
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node (make install)")


def compose_check(folder: Path, schemas: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Write each subgraph's SDL and a rover-style supergraph.yaml naming them, then check."""
    lines = ["subgraphs:"]
    for name, sdl in schemas.items():
        (folder / f"{name}.graphql").write_text(sdl)
        lines += [
            f"  {name}:",
            f"    routing_url: http://{name}:4000/graphql",
            f"    schema: {{ file: ./{name}.graphql }}",
        ]
    config = folder / "supergraph.yaml"
    config.write_text("\n".join(lines) + "\n")
    return subprocess.run(
        ["node", str(COMPOSE), "--check", str(config)],
        cwd=ROOT / "router",
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_composition_errors_fail_the_check_naming_each_error(tmp_path):
    result = compose_check(tmp_path, {"shop": SHOP, "reviews": REVIEWS_CLASHING})

    assert result.returncode == 1
    assert "composition failed with 2 error(s)" in result.stderr
    assert 'Type of field "Thing.name" is incompatible across subgraphs' in result.stderr
    assert 'type "String!" in subgraph "shop"' in result.stderr
    assert 'type "Int!" in subgraph "reviews"' in result.stderr
    assert 'Non-shareable field "Thing.name" is resolved from multiple subgraphs' in result.stderr
    assert "at " not in result.stderr  # a message per error, no stack trace


def test_a_supergraph_that_is_not_the_committed_one_is_reported_stale(tmp_path):
    result = compose_check(tmp_path, {"shop": SHOP, "reviews": REVIEWS})

    assert result.returncode == 1
    assert "router/supergraph.graphql is stale: run `make compose`" in result.stderr


def test_a_schema_that_does_not_parse_names_its_subgraph_and_file(tmp_path):
    result = compose_check(tmp_path, {"shop": SHOP, "reviews": "type Query { reviews: [Int!]! "})

    assert result.returncode == 1
    assert f'subgraph "reviews": {tmp_path / "reviews.graphql"}: Syntax Error' in result.stderr
