"""Sign-in, refresh-token rotation, sign-out, and the admin account.

Refresh tokens are opaque random strings; only their sha256 is stored. Each refresh marks the
presented token rotated and issues a new one of the same family. A rotated (or revoked) token
presented again means someone kept a copy: the whole family is revoked, so both the thief and
the user must sign in again.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import structlog
from fedshop_common.auth import ADMIN, Unauthenticated
from fedshop_common.cache import Cache
from fedshop_common.database import transaction
from fedshop_common.rate_limits import RateLimited, Throttle, parse_limit
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fedshop_users.auth import repository
from fedshop_users.auth.keys import SigningKey
from fedshop_users.auth.passwords import hash_password, verify_password
from fedshop_users.models import RefreshToken, User

log = structlog.get_logger()

WRONG_CREDENTIALS = "wrong email or password"
INVALID_REFRESH = "invalid or expired refresh token"
REUSED_REFRESH = "refresh token already used: every session of this sign-in is revoked"


@dataclass(frozen=True)
class Session:
    """What a sign-in or a refresh hands out."""

    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    user_id: int
    role: str


def _could_be_an_email(text: str) -> bool:
    """What no stored address can be is not looked up (PostgreSQL refuses NUL in text)."""
    return 0 < len(text) <= 320 and not any(ord(char) < 0x20 for char in text)


def _digest(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


class IdentityService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        key: SigningKey,
        throttle: Throttle,
        *,
        access_lifetime: timedelta,
        refresh_lifetime: timedelta,
        sign_in_failure_limit: str,
    ) -> None:
        self._sessions = sessions
        self._key = key
        self._throttle = throttle
        self._access_lifetime = access_lifetime
        self._refresh_lifetime = refresh_lifetime
        self._failures = parse_limit(sign_in_failure_limit)

    async def sign_in(self, email: str, password: str, client: str) -> Session:
        """A new session for the right password. Failures are counted per account and per client
        address; past the limit every attempt is refused (RateLimited) before it is tried."""
        account = email.strip().lower()
        await self._throttle.check(self._failures, "failed sign-ins", "sign-in:account", account)
        await self._throttle.check(self._failures, "failed sign-ins", "sign-in:client", client)
        user = None
        if _could_be_an_email(account):
            async with self._sessions() as session:
                user = await repository.user_by_email(session, account)
        if not await verify_password(password, user.password_hash if user else None):
            for scope, key in (("sign-in:account", account), ("sign-in:client", client)):
                try:
                    await self._throttle.hit(self._failures, "failed sign-ins", scope, key)
                except RateLimited:
                    pass  # a concurrent failure filled the window: the next attempt is refused
            log.info("sign-in failed", account_known=user is not None)
            raise Unauthenticated(WRONG_CREDENTIALS)
        await self._throttle.reset(self._failures, "sign-in:account", account)
        async with transaction(self._sessions) as session:
            return self._new_session(session, user, family_id=uuid.uuid4())

    async def refresh(self, refresh_token: str | None) -> Session:
        if not refresh_token:
            raise Unauthenticated("no refresh token")
        now = datetime.now(UTC)
        reused = False
        async with transaction(self._sessions) as session:
            row = await repository.refresh_token_for_update(session, _digest(refresh_token))
            if row is None or row.expires_at <= now:
                raise Unauthenticated(INVALID_REFRESH)
            if row.rotated_at is not None or row.revoked_at is not None:
                await repository.revoke_family(session, row.family_id, now)
                reused = True
            else:
                user = await repository.user_by_id(session, row.user_id)
                if user is None:
                    raise Unauthenticated(INVALID_REFRESH)
                row.rotated_at = now
                issued = self._new_session(session, user, family_id=row.family_id)
        if reused:  # raised after the revocation committed
            log.warning("refresh token reused, family revoked", family_id=str(row.family_id))
            raise Unauthenticated(REUSED_REFRESH)
        return issued

    async def sign_out(self, refresh_token: str | None) -> None:
        """Revoke the token's family: this sign-in is over on every device that shared it."""
        if not refresh_token:
            return
        async with transaction(self._sessions) as session:
            row = await repository.refresh_token_for_update(session, _digest(refresh_token))
            if row is not None:
                await repository.revoke_family(session, row.family_id, datetime.now(UTC))

    def _new_session(self, session: AsyncSession, user: User, family_id: uuid.UUID) -> Session:
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        repository.add_refresh_token(
            session,
            RefreshToken(
                token_hash=_digest(token),
                family_id=family_id,
                user_id=user.id,
                created_at=now,
                expires_at=now + self._refresh_lifetime,
            ),
        )
        return Session(
            access_token=self._key.access_token(user.id, user.role, self._access_lifetime),
            refresh_token=token,
            expires_in=int(self._access_lifetime.total_seconds()),
            user_id=user.id,
            role=user.role,
        )

    async def ensure_admin(self, email: str, password: str, cache: Cache) -> None:
        """The admin account exists, is an admin and has this password (idempotent; replicas
        starting together: one inserts, the other finds it)."""
        for _ in range(2):
            try:
                async with transaction(self._sessions) as session:
                    user = await repository.user_by_email(session, email)
                    if user is None:
                        session.add(
                            User(
                                first_name="Shop",
                                last_name="Admin",
                                email=email,
                                role=ADMIN,
                                password_hash=await hash_password(password),
                            )
                        )
                    else:
                        user.role = ADMIN
                        if not await verify_password(password, user.password_hash):
                            user.password_hash = await hash_password(password)
                break
            except IntegrityError:
                continue
        await cache.invalidate(cache.key("users", "all"))
