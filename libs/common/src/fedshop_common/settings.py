from pydantic_settings import BaseSettings, SettingsConfigDict

from fedshop_common.messaging.retry import RetryPolicy


class ServiceSettings(BaseSettings):
    """Settings every service reads from the environment; each service subclasses it.

    The defaults work against PostgreSQL, Redis and RabbitMQ on localhost (`make dev`).
    """

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    database_url: str
    redis_url: str = "redis://127.0.0.1:6379/0"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    # Prefix for exchange, queue and Redis channel names, so parallel test runs never meet.
    namespace: str = ""
    # `dev` (the default) allows what only a laptop may: generated keys, default secrets, an
    # empty router secret; anything else (e.g. `production`) refuses to start without them.
    fedshop_env: str = "dev"
    log_level: str = "info"
    # Shared with the router, which sends it on every subgraph request; empty turns the check off.
    router_shared_secret: str = ""
    host: str = "127.0.0.1"
    port: int
    # Per process. Every process at its maximum must fit PostgreSQL's max_connections (100 by
    # default): 3 subgraphs x 2 replicas + 3 workers, at 8 each, is 72 (docs/reliability.md).
    # All 8 are kept once opened: overflow connections are closed on their return, so a
    # prefetch window wider than the pool reconnected (and re-prepared) for every message.
    db_pool_size: int = 8
    db_max_overflow: int = 0
    # Bounds on what one statement, lock wait or idle transaction may hold (0 turns one off).
    db_statement_timeout_ms: int = 10_000
    db_lock_timeout_ms: int = 5_000
    db_idle_in_transaction_timeout_ms: int = 30_000
    # Short: a slow or absent Redis must cost little; PostgreSQL answers instead.
    redis_timeout_seconds: float = 0.25
    cache_ttl_seconds: float = 60.0
    # A failing message: retried after 1 s, 2 s, 4 s, … up to 5 min apart, for an hour in all.
    retry_first_delay_seconds: float = 1.0
    retry_max_delay_seconds: float = 300.0
    retry_give_up_after_seconds: float = 3600.0
    prefetch: int = 10
    # Faults on demand (fedshop_common.faults); 0 is off.
    fault_smtp_refuse_rate: float = 0.0
    fault_users_slow_ms: int = 0
    fault_payments_decline_rate: float = 0.0  # read by the payment worker
    # Every door refuses a request body over this many bytes with 413 (0 turns the cap off).
    max_body_bytes: int = 1_000_000
    # Who may publish what: `purchase.*=purchases,email.*=email-worker` (a routing-key pattern,
    # the broker user that owns it). A consumed event from another user is dead-lettered.
    # Empty: not checked (dev, where every service is `guest`).
    event_publishers: str = ""

    @property
    def is_dev(self) -> bool:
        return self.fedshop_env.lower() in ("dev", "development", "test")

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            self.retry_first_delay_seconds,
            self.retry_max_delay_seconds,
            self.retry_give_up_after_seconds,
        )
