from pydantic_settings import BaseSettings, SettingsConfigDict


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
    log_level: str = "info"
    # Shared with the router, which sends it on every subgraph request; empty turns the check off.
    router_shared_secret: str = ""
    host: str = "127.0.0.1"
    port: int
