"""Background tasks that must keep running: each is restarted after a failure, with backoff,
and its state is part of the service's readiness report."""

import asyncio
from collections.abc import Awaitable, Callable

import structlog
from tenacity import AsyncRetrying, retry_if_exception_type, wait_exponential_jitter

log = structlog.get_logger()

MAX_RESTART_BACKOFF_SECONDS = 30.0
STOP_WAIT_SECONDS = 5.0


def retrying_forever(
    message: str,
    max_backoff_seconds: float = MAX_RESTART_BACKOFF_SECONDS,
    on: tuple[type[BaseException], ...] = (Exception,),
    **context: object,
) -> AsyncRetrying:
    """Retry without end on `on`, the pause growing from 0.5 s to `max_backoff_seconds` (with
    jitter), logging `message` and the error before each pause."""
    return AsyncRetrying(
        retry=retry_if_exception_type(on),
        wait=wait_exponential_jitter(multiplier=0.5, max=max_backoff_seconds),
        before_sleep=lambda state: log.warning(
            message,
            error=repr(state.outcome.exception()) if state.outcome else None,
            retry_in=round(state.upcoming_sleep, 1),
            **context,
        ),
    )


class Supervisor:
    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Task] = {}
        self._states: dict[str, str] = {}

    def run(self, name: str, work: Callable[[], Awaitable[None]], *, forever: bool = True) -> None:
        """Run `work` in the background. A failure is logged and `work` is started again after
        a growing pause. With `forever=False`, a `work` that returns is done (a start-up step)."""
        self._states[name] = "starting"
        self._tasks[name] = asyncio.create_task(self._keep_running(name, work, forever), name=name)

    async def _keep_running(
        self, name: str, work: Callable[[], Awaitable[None]], forever: bool
    ) -> None:
        async for attempt in retrying_forever("background task failed, restarting", task=name):
            with attempt:
                self._states[name] = "running"
                try:
                    await work()
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    self._states[name] = f"restarting: {type(error).__name__}"
                    raise
                if forever:
                    self._states[name] = "restarting: returned"
                    raise RuntimeError(f"{name} returned")
                self._states[name] = "done"

    def states(self) -> dict[str, str]:
        return dict(self._states)

    def healthy(self, name: str) -> bool:
        return self._states.get(name) in ("running", "done")

    async def cancel(self, name: str) -> None:
        """Cancel one task, if it is still running, and wait (a bounded time) for it to end."""
        task = self._tasks.get(name)
        if task is not None and not task.done():
            task.cancel()
            await _ended([task])

    async def stop(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        await _ended(list(self._tasks.values()))


async def _ended(tasks: list[asyncio.Task], seconds: float = STOP_WAIT_SECONDS) -> None:
    """Wait for cancelled tasks to end, but not for ever: a library that swallows the
    cancellation (a reconnect loop) must not keep the process from exiting."""
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=seconds)
        for task in pending:
            log.warning("background task did not stop when cancelled", task=task.get_name())
