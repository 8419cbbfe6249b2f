"""Who is asking: access tokens verified the same way by every service, and the principal they
carry, for the REST routes (a FastAPI dependency) and the GraphQL resolvers (the context)."""

from fedshop_common.auth.principal import (
    ADMIN,
    CUSTOMER,
    ROLES,
    AuthUnavailable,
    Forbidden,
    Principal,
    Unauthenticated,
)
from fedshop_common.auth.tokens import (
    ALGORITHM,
    AUDIENCE,
    ISSUER,
    JwksKeys,
    StaticKeys,
    TokenVerifier,
)

__all__ = [
    "ADMIN",
    "ALGORITHM",
    "AUDIENCE",
    "CUSTOMER",
    "ISSUER",
    "ROLES",
    "AuthUnavailable",
    "Forbidden",
    "JwksKeys",
    "Principal",
    "StaticKeys",
    "TokenVerifier",
    "Unauthenticated",
]
