from fedshop_common.web import serve

from fedshop_users.app import create_app
from fedshop_users.settings import UsersSettings


def main() -> None:
    settings = UsersSettings()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
