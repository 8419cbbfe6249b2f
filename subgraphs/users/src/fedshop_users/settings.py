from fedshop_common.settings import ServiceSettings


class UsersSettings(ServiceSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_users"
    port: int = 4001
    cache_ttl_seconds: float = 60.0
    # Short: a slow or absent Redis must cost little; PostgreSQL answers instead.
    redis_timeout_seconds: float = 0.25
