from fedshop_common.web import serve

from fedshop_purchases.app import create_app
from fedshop_purchases.settings import PurchasesSettings


def main() -> None:
    settings = PurchasesSettings()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
