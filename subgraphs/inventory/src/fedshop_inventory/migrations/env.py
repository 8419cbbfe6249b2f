from alembic import context
from fedshop_common.database import run_alembic_env
from fedshop_inventory.models import InventoryModel

run_alembic_env(context, InventoryModel.metadata)
