from fedshop_common.web import serve

from fedshop_email_worker.app import create_app
from fedshop_email_worker.settings import EmailWorkerSettings


def main() -> None:
    settings = EmailWorkerSettings()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
