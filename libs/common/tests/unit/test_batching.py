"""MicroBatcher: concurrent submits run as one batch, each caller gets its own result or the
batch's error, and a full batch does not wait for the linger."""

import asyncio

import pytest
from fedshop_common.batching import MicroBatcher


async def test_concurrent_submits_run_as_one_batch_and_each_gets_its_result():
    batches: list[list[int]] = []

    async def double(items):
        batches.append(list(items))
        return [2 * item for item in items]

    batcher = MicroBatcher(double, max_size=100, linger_seconds=0.01)
    assert await asyncio.gather(*(batcher.submit(n) for n in range(5))) == [0, 2, 4, 6, 8]
    assert batches == [[0, 1, 2, 3, 4]]
    assert await batcher.submit(7) == 14  # a later one: a batch of its own
    assert batches[-1] == [7]


async def test_a_full_batch_runs_at_once_and_the_rest_waits_for_the_next():
    batches: list[list[int]] = []

    async def echo(items):
        batches.append(list(items))
        return list(items)

    batcher = MicroBatcher(echo, max_size=3, linger_seconds=10)  # the linger would time out
    results = await asyncio.wait_for(
        asyncio.gather(*(batcher.submit(n) for n in range(6))), timeout=1
    )
    assert results == list(range(6)) and batches == [[0, 1, 2], [3, 4, 5]]


async def test_every_caller_of_a_failed_batch_sees_its_error():
    async def fail(items):
        raise ValueError(f"{len(items)} items refused")

    batcher = MicroBatcher(fail, linger_seconds=0.001)
    outcomes = await asyncio.gather(*(batcher.submit(n) for n in range(3)), return_exceptions=True)
    assert [str(error) for error in outcomes] == ["3 items refused"] * 3
    with pytest.raises(ValueError, match="1 items refused"):
        await batcher.submit(9)
