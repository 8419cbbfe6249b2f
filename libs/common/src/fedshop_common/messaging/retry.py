"""How long a failing message waits before its next attempt, and when it is given up."""

from dataclasses import dataclass

# Headers the consumer sets on a message it retries or dead-letters.
ATTEMPTS_HEADER = "x-attempts"
FAILURE_REASON_HEADER = "x-failure-reason"


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: `first_delay` doubling up to `max_delay`, for `give_up_after` seconds
    of waiting in all (the defaults: 1 s, 2 s, … 256 s, then every 5 min, for about an hour).

    Each distinct delay is one delay queue, so a message never waits behind a longer pause."""

    first_delay_seconds: float = 1.0
    max_delay_seconds: float = 300.0
    give_up_after_seconds: float = 3600.0

    def delay_after(self, attempt: int) -> float | None:
        """The pause after failed attempt number `attempt` (1-based); None: give up."""
        waited = sum(self._delay(n) for n in range(1, attempt))
        delay = self._delay(attempt)
        # A hair of tolerance, so that 0.1 + 0.2 fits a budget of 0.3.
        return delay if waited + delay <= self.give_up_after_seconds + 1e-9 else None

    def _delay(self, attempt: int) -> float:
        return min(self.first_delay_seconds * 2 ** (attempt - 1), self.max_delay_seconds)

    @property
    def delays(self) -> list[float]:
        """Every distinct pause, shortest first: the delay queues to declare."""
        found: list[float] = []
        attempt = 1
        while (delay := self.delay_after(attempt)) is not None:
            if delay not in found:
                found.append(delay)
            if delay >= self.max_delay_seconds:
                break
            attempt += 1
        return found

    @property
    def attempts(self) -> int:
        """Attempts in all before a message is dead-lettered."""
        attempt = 1
        while self.delay_after(attempt) is not None:
            attempt += 1
        return attempt
