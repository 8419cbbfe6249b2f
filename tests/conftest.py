import pytest

from tests.system import RunningSystem, start_system


@pytest.fixture(scope="session")
def system(make_stack) -> RunningSystem:
    """One running system shared by the cross-service tests (each test uses its own purchases)."""
    running = start_system(make_stack("system"))
    yield running
    running.stop()
