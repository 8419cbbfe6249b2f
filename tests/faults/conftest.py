import pytest

from tests.faults.support import database_of


@pytest.fixture(scope="module")
def database(system):
    """Queries on the module's system's purchases and emails databases."""
    query, close = database_of(system)
    yield query
    close()
