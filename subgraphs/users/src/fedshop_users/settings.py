from fedshop_common.auth.settings import AccessSettings
from fedshop_common.settings import ServiceSettings


class UsersSettings(ServiceSettings, AccessSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_users"
    port: int = 4001
    # --- identity (see README "Signing in") -------------------------------------------------
    # The Ed25519 private key (PEM) that signs access tokens. Unset in dev: generated once into
    # DATA_DIR; unset elsewhere: the service refuses to start.
    jwt_private_key: str = ""
    data_dir: str = ".data"
    access_token_minutes: float = 15.0
    refresh_token_days: float = 14.0
    # The admin, created (or made admin) at start-up. Dev has a default password; elsewhere
    # ADMIN_PASSWORD must be set.
    admin_email: str = "admin@fedshop.example"
    admin_password: str = ""
    # Throttles (the `limits` notation). Failed sign-ins count per account and per client address.
    sign_in_failure_limit: str = "10/15 minutes"
    user_creation_limit: str = "30/minute"
    # The refresh-token cookie: path-scoped to /auth; `Secure` outside plain-HTTP dev.
    refresh_cookie_secure: bool = False


DEV_ADMIN_PASSWORD = "fedshop-admin"
