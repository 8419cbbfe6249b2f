"""The retry policy: exponential pauses, one delay queue per distinct pause, bounded in all."""

from fedshop_common.messaging import QueueSpec, RetryPolicy


def test_the_default_backs_off_from_a_second_to_five_minutes_for_about_an_hour():
    policy = RetryPolicy()
    pauses = []
    attempt = 1
    while (pause := policy.delay_after(attempt)) is not None:
        pauses.append(pause)
        attempt += 1
    assert pauses[:9] == [1, 2, 4, 8, 16, 32, 64, 128, 256]
    assert set(pauses[9:]) == {300}
    assert 3300 <= sum(pauses) <= 3600  # an outage of up to an hour is outlasted
    assert policy.attempts == len(pauses) + 1
    assert policy.delays == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300]


def test_a_short_policy_gives_up_after_its_budget():
    policy = RetryPolicy(first_delay_seconds=0.2, max_delay_seconds=1, give_up_after_seconds=1)
    assert [policy.delay_after(n) for n in (1, 2, 3)] == [0.2, 0.4, None]
    assert policy.attempts == 3
    assert policy.delays == [0.2, 0.4]


def test_each_pause_has_its_own_delay_queue_so_none_waits_behind_a_longer_one():
    spec = QueueSpec("email-worker.purchases", ("purchase.*",))
    names = {spec.delay_queue("ns.", delay) for delay in RetryPolicy().delays}
    assert len(names) == len(RetryPolicy().delays)
    assert spec.delay_queue("ns.", 0.5) == "ns.email-worker.purchases.retry.500ms"
    assert spec.dlq("ns.") == "ns.email-worker.purchases.dlq"
