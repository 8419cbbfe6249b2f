from fedshop_common.settings import ServiceSettings


class PurchasesSettings(ServiceSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_purchases"
    port: int = 4002
    # The users service's REST API, where a purchase's user is looked up.
    users_url: str = "http://127.0.0.1:4001"
    users_timeout_seconds: float = 2.0
    # How long a looked-up user is trusted; users are not deleted, so this only bounds staleness.
    user_lookup_ttl_seconds: float = 30.0
    # How often the outbox relay looks for rows another replica committed.
    outbox_poll_seconds: float = 1.0
