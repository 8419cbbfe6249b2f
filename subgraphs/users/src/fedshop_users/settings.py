from fedshop_common.settings import ServiceSettings


class UsersSettings(ServiceSettings):
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/fedshop_users"
    port: int = 4001
