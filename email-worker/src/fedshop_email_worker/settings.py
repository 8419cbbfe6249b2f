from fedshop_common.amqp import RetryPolicy
from fedshop_common.settings import ServiceSettings


class EmailWorkerSettings(ServiceSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_emails"
    # Serves /health and /metrics only; the work comes from RabbitMQ.
    port: int = 4003
    # Messages handled at the same time.
    prefetch: int = 10
    # e.g. smtp://mailpit:1025 (smtps:// for TLS, user:password@ for auth); empty: logged only.
    smtp_url: str = ""
    smtp_timeout_seconds: float = 10
    email_from: str = "fedshop <shop@fedshop.example>"
    # A failing message is tried this many times in all, the pause doubling, then dead-lettered.
    retry_attempts: int = 5
    retry_first_delay_seconds: float = 0.5
    retry_max_delay_seconds: float = 30

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            self.retry_attempts, self.retry_first_delay_seconds, self.retry_max_delay_seconds
        )
