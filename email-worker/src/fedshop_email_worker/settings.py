from fedshop_common.settings import ServiceSettings


class EmailWorkerSettings(ServiceSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_emails"
    # Serves /health and /metrics only; the work comes from RabbitMQ.
    port: int = 4003
    # e.g. smtp://mailpit:1025 (smtps:// for TLS, user:password@ for auth); empty: logged only.
    smtp_url: str = ""
    smtp_timeout_seconds: float = 10
    email_from: str = "fedshop <shop@fedshop.example>"
    # Wider than the services' 10: logged emails are recorded a batch per transaction, and the
    # batch is what is in hand (docs/performance.md, P5). SMTP sends stay within the pool
    # (EmailDeliveries).
    prefetch: int = 50
