"""Argon2 password hashes (pwdlib's recommended parameters), computed off the event loop."""

import asyncio

from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
# Verified when the account is unknown or has no password, so that a miss costs what a wrong
# password costs (no timing oracle for which emails exist).
_DUMMY_HASH = _hasher.hash("not the password of anyone")

MIN_LENGTH = 8
MAX_LENGTH = 256


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        await asyncio.to_thread(_hasher.verify, password, _DUMMY_HASH)
        return False
    return await asyncio.to_thread(_hasher.verify, password, password_hash)
