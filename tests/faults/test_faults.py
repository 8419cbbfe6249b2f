"""Faults under load, with real processes: RabbitMQ unreachable, the email worker killed, Redis
gone, the users service down. Each ends with an exact count: every purchase has exactly one email.
"""

import httpx
import pytest

from tests.faults.support import (
    PURCHASES_PER_FAULT,
    FaultySystem,
    assert_each_emailed_exactly_once,
    assert_few_resends,
    buy_many,
)


@pytest.fixture(scope="module")
def system(make_stack):
    running = FaultySystem(make_stack("faults"))
    yield running
    running.stop()


async def test_rabbitmq_unreachable_then_back(system, database):
    def outage(answered: int) -> None:
        if answered == 30:
            system.broker.cut()
        if answered == 90:
            system.broker.start()

    ids = await buy_many(system, PURCHASES_PER_FAULT, during=outage)
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert_few_resends(delivered, ids)


async def test_email_worker_killed_and_restarted(system, database):
    def crash(answered: int) -> None:
        if answered == 40:
            system.kill("worker")
        if answered == 80:
            system.start("worker")

    ids = await buy_many(system, PURCHASES_PER_FAULT, during=crash)
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert_few_resends(delivered, ids)


async def test_redis_unreachable_reads_and_purchases_keep_working(system, database):
    system.redis.cut()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            for _ in range(5):
                assert (await http.get(f"{system.url['users']}/users/1")).status_code == 200
                assert (await http.get(f"{system.url['users']}/users")).status_code == 200
                assert (await http.get(f"{system.url['purchases']}/items")).status_code == 200
            health = (await http.get(f"{system.url['users']}/health")).json()
        assert health["dependencies"]["cache"].startswith("down")
        ids = await buy_many(system, 40)
    finally:
        system.redis.start()
    delivered = await assert_each_emailed_exactly_once(system, database, ids)
    assert_few_resends(delivered, ids)


async def test_users_service_down_purchases_answer_503_and_write_nothing(system, database):
    count_sql = "SELECT (SELECT count(*) FROM purchases), (SELECT count(*) FROM outbox)"
    before = database("purchases", count_sql)
    system.processes["users"].stop()
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            for user_id in range(1000, 1020):  # users no purchase has looked up (not cached)
                response = await http.post(
                    f"{system.url['purchases']}/purchase", json={"user_id": user_id, "item_id": 1}
                )
                assert response.status_code == 503
                assert "users service is unavailable" in response.json()["detail"]
        assert database("purchases", count_sql) == before
    finally:
        system.start("users")
