"""Background tasks are restarted after a failure, and their state is reported."""

import asyncio

from fedshop_common.background import Supervisor
from fedshop_common.service import _bounded

from tests.support import eventually


async def test_a_failing_task_is_restarted_and_its_state_reported():
    supervisor = Supervisor()
    runs = []

    async def flaky() -> None:
        runs.append(1)
        if len(runs) < 3:
            raise ConnectionError("not yet")
        await asyncio.Event().wait()  # then it keeps running

    supervisor.run("flaky", flaky)
    await asyncio.sleep(0)
    assert supervisor.states()["flaky"] in ("running", "restarting: ConnectionError")

    async def running_for_good() -> bool:
        return len(runs) == 3 and supervisor.states()["flaky"] == "running"

    await eventually(running_for_good, within=10)
    assert supervisor.healthy("flaky")
    await supervisor.stop()


async def test_a_start_up_step_that_returns_is_done():
    supervisor = Supervisor()

    async def step() -> None:
        return None

    supervisor.run("step", step, forever=False)

    async def done() -> bool:
        return supervisor.states()["step"] == "done"

    await eventually(done)
    await supervisor.stop()


async def test_one_task_is_cancelled_while_the_others_run_on():
    supervisor = Supervisor()
    stopped = []

    async def waits(name: str) -> None:
        try:
            await asyncio.Event().wait()
        finally:
            stopped.append(name)

    supervisor.run("connecting", lambda: waits("connecting"), forever=False)
    supervisor.run("relay", lambda: waits("relay"))
    await asyncio.sleep(0.05)
    await supervisor.cancel("connecting")
    assert stopped == ["connecting"]
    await supervisor.cancel("never started")  # nothing to do
    await supervisor.stop()
    assert stopped == ["connecting", "relay"]


async def test_a_shutdown_step_that_hangs_is_abandoned_after_its_bound():
    started = asyncio.get_running_loop().time()
    await _bounded("stuck broker", asyncio.Event().wait(), seconds=0.2)
    assert asyncio.get_running_loop().time() - started < 2
