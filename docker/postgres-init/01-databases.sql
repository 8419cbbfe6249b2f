-- One database per service (each service also creates its own if it is missing, and migrates it).
CREATE DATABASE fedshop_users;
CREATE DATABASE fedshop_purchases;
CREATE DATABASE fedshop_inventory;
CREATE DATABASE fedshop_emails;
CREATE DATABASE fedshop_payments;
