"""Identity: passwords, sign-in, access and refresh tokens, the JWKS, and who may see what."""
