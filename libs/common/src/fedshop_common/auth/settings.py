from pydantic_settings import BaseSettings, SettingsConfigDict


class AccessSettings(BaseSettings):
    """Who may do what, and how often: the same knobs in every service that checks access.
    Mixed into a ServiceSettings, which holds `fedshop_env` and `is_dev`."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore")

    # Open mode (false) keeps the first task statement working anonymously; true needs a token
    # and ownership for buying, purchase histories and other users' email addresses.
    require_sign_in: bool = False
    # Where the users service publishes its public keys; empty: derived from USERS_URL.
    jwks_url: str = ""
    # `off` disables the per-client limits on creating users and buying (load tests from one
    # address); the failed sign-in throttle stays on whatever this says.
    rate_limits: str = "on"

    @property
    def per_client_limits(self) -> bool:
        return self.rate_limits.lower() not in ("off", "false", "0", "no")
