from alembic import context
from fedshop_common.database import run_alembic_env
from fedshop_payment_worker.models import PaymentWorkerModel

run_alembic_env(context, PaymentWorkerModel.metadata)
