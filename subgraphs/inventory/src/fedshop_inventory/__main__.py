from fedshop_common.web import serve

from fedshop_inventory.app import create_app
from fedshop_inventory.settings import InventorySettings


def main() -> None:
    settings = InventorySettings()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
