"""Async engine and sessions on psycopg 3, database creation and Alembic migrations."""

import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import psycopg
from alembic import command
from alembic.config import Config
from psycopg import sql
from sqlalchemy import MetaData, create_engine, engine_from_config, pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def create_database_engine(
    database_url: str,
    pool_size: int = 4,
    max_overflow: int = 4,
    statement_timeout_ms: int = 10_000,
    lock_timeout_ms: int = 5_000,
    idle_in_transaction_timeout_ms: int = 30_000,
) -> AsyncEngine:
    """A pooled engine whose sessions cannot hang: each statement, lock wait and idle
    transaction is bounded by the server, and a pool checkout by `pool_timeout`."""
    options = (
        f"-c statement_timeout={statement_timeout_ms} -c lock_timeout={lock_timeout_ms}"
        f" -c idle_in_transaction_session_timeout={idle_in_transaction_timeout_ms}"
    )
    return create_async_engine(
        database_url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=10,
        pool_pre_ping=True,
        connect_args={"options": options, "connect_timeout": 5},
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Objects stay readable after commit: services return them to REST and GraphQL.
    return async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """A session whose work commits at the end of the block, or rolls back on error."""
    async with sessions() as session, session.begin():
        yield session


def _libpq_conninfo(database_url: str, dbname: str) -> str:
    url = make_url(database_url).set(drivername="postgresql", database=dbname)
    return url.render_as_string(hide_password=False)


def ensure_database(database_url: str) -> None:
    """Create the service's database if it does not exist yet (the server is shared)."""
    name = make_url(database_url).database
    with psycopg.connect(_libpq_conninfo(database_url, "postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return
        try:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except psycopg.errors.UniqueViolation:
            pass  # another replica created it at the same moment


def drop_database(database_url: str) -> None:
    name = make_url(database_url).database
    with psycopg.connect(_libpq_conninfo(database_url, "postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def migrate(database_url: str, migrations: Path) -> None:
    """Create the database if needed and upgrade it to the newest Alembic revision.

    A PostgreSQL advisory lock lets replicas start at the same time: one migrates, the others wait.
    """
    ensure_database(database_url)
    config = Config()
    config.set_main_option("script_location", str(migrations))
    engine = create_engine(database_url, poolclass=pool.NullPool)
    lock_key = zlib.crc32(str(migrations).encode())
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": lock_key})
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": lock_key})
            connection.commit()
    engine.dispose()


def run_alembic_env(context, target_metadata: MetaData) -> None:  # noqa: ANN001 (alembic's proxy)
    """The body of each service's `migrations/env.py`: online migrations only."""
    connection = context.config.attributes.get("connection")
    if connection is None:  # the alembic CLI (e.g. `alembic revision --autogenerate`)
        engine = engine_from_config(
            context.config.get_section(context.config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
        with engine.connect() as connection:
            _run(context, connection, target_metadata)
        return
    _run(context, connection, target_metadata)


def _run(context, connection, target_metadata: MetaData) -> None:  # noqa: ANN001
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
