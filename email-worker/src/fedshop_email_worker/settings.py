from fedshop_common.settings import ServiceSettings


class EmailWorkerSettings(ServiceSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_emails"
    # Serves /health only; the work comes from RabbitMQ.
    port: int = 4003
    prefetch: int = 10
