"""Identity in the users app: keys, the verifier, the identity service (its routes are in
`fedshop_users.auth.rest`, included by the app before the users routes).

Outside dev a missing signing key or admin password stops the start-up here, before anything
listens: no default secrets in production.
"""

from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import FastAPI
from fedshop_common.auth import TokenVerifier
from fedshop_common.cache import Cache
from fedshop_common.rate_limits import Throttle
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_users.auth.keys import MissingSecret, load_signing_key
from fedshop_users.auth.service import IdentityService
from fedshop_users.settings import DEV_ADMIN_PASSWORD, UsersSettings


def add_identity(
    app: FastAPI,
    settings: UsersSettings,
    sessions: async_sessionmaker[AsyncSession],
    cache: Cache,
) -> Callable[[], Awaitable[None]]:
    """Wire identity into `app`; returns the start-up step that ensures the admin account."""
    key = load_signing_key(settings.jwt_private_key, settings.data_dir, settings.is_dev)
    admin_password = settings.admin_password or (DEV_ADMIN_PASSWORD if settings.is_dev else "")
    if not admin_password:
        raise MissingSecret("ADMIN_PASSWORD is not set (only dev has a default)")
    throttle = Throttle(settings.redis_url, settings.namespace)
    refresh_lifetime = timedelta(days=settings.refresh_token_days)
    identity = IdentityService(
        sessions,
        key,
        throttle,
        access_lifetime=timedelta(minutes=settings.access_token_minutes),
        refresh_lifetime=refresh_lifetime,
        sign_in_failure_limit=settings.sign_in_failure_limit,
    )
    app.state.identity = identity
    app.state.throttle = throttle
    app.state.token_verifier = TokenVerifier(key.verification_keys())
    app.state.jwks = key.jwks()
    app.state.require_sign_in = settings.require_sign_in
    app.state.refresh_cookie_secure = settings.refresh_cookie_secure
    app.state.refresh_cookie_max_age = refresh_lifetime.total_seconds()

    async def ensure_admin() -> None:
        await identity.ensure_admin(settings.admin_email, admin_password, cache)

    return ensure_admin
