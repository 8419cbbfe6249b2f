from fedshop_common.auth.settings import AccessSettings
from fedshop_common.settings import ServiceSettings


class InventorySettings(ServiceSettings, AccessSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_inventory"
    port: int = 4004
    # The users service, whose JWKS verifies the admins' access tokens.
    users_url: str = "http://127.0.0.1:4001"
    users_timeout_seconds: float = 2.0
    # How often the outbox relay looks for rows another replica committed.
    outbox_poll_seconds: float = 1.0

    @property
    def jwks(self) -> str:
        return self.jwks_url or f"{self.users_url.rstrip('/')}/.well-known/jwks.json"
