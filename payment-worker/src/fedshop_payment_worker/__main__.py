from fedshop_common.web import serve

from fedshop_payment_worker.app import create_app
from fedshop_payment_worker.settings import PaymentWorkerSettings


def main() -> None:
    settings = PaymentWorkerSettings()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
