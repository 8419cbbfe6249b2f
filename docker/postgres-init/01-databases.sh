#!/bin/sh
# Once, when the data volume is new: one role and one database per service. Each role owns its
# database and may connect to no other (each service also creates its database if it is missing,
# and migrates it). The passwords come from the postgres service's environment (.env.example).
set -eu
service_database() {  # <role> <password> <database>
  psql -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}" -d postgres \
    -v role="$1" -v password="$2" -v database="$3" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
}
service_database users "$USERS_DB_PASSWORD" fedshop_users
service_database purchases "$PURCHASES_DB_PASSWORD" fedshop_purchases
service_database inventory "$INVENTORY_DB_PASSWORD" fedshop_inventory
service_database emails "$EMAILS_DB_PASSWORD" fedshop_emails
service_database payments "$PAYMENTS_DB_PASSWORD" fedshop_payments
