"""Plumbing shared by every fedshop service: settings, database, AMQP, events, logging."""
