/**
 * The signed-in session. The access token lives in memory only (this module); the refresh token
 * is an HttpOnly cookie the users service sets on /auth, which this code never sees. A page
 * reload restores the session by spending that cookie at /auth/refresh.
 */

export type Session = {
  accessToken: string;
  userId: string;
  role: "customer" | "admin";
  expiresAt: number; // ms since the epoch
};

/** Why the users service refused, in words a shopper can act on. */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

type Listener = (session: Session | null) => void;

let current: Session | null = null;
const listeners = new Set<Listener>();

export function currentSession(): Session | null {
  return current;
}

/** The `Authorization` value for API calls, or undefined when anonymous. */
export function authorizationHeader(): string | undefined {
  return current ? `Bearer ${current.accessToken}` : undefined;
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setSession(session: Session | null) {
  current = session;
  for (const listener of listeners) listener(session);
}

type TokenResponse = { access_token: string; expires_in: number; user_id: number; role: string };

async function tokenRequest(path: string, init: RequestInit): Promise<Session> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, method: "POST", credentials: "same-origin" });
  } catch {
    throw new AuthError("Could not reach the shop's sign-in service.", 0);
  }
  if (!response.ok) throw await refusal(response);
  const body = (await response.json()) as TokenResponse;
  return {
    accessToken: body.access_token,
    userId: String(body.user_id),
    role: body.role === "admin" ? "admin" : "customer",
    expiresAt: Date.now() + body.expires_in * 1000,
  };
}

async function refusal(response: Response): Promise<AuthError> {
  if (response.status === 429) {
    const seconds = Number(response.headers.get("Retry-After") ?? "60");
    const minutes = Math.ceil(seconds / 60);
    return new AuthError(
      `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
      429,
      seconds,
    );
  }
  if (response.status === 401) return new AuthError("Wrong email or password.", 401);
  return new AuthError(`The sign-in service answered with HTTP ${response.status}.`, response.status);
}

export async function signIn(email: string, password: string): Promise<Session> {
  const form = new URLSearchParams({ username: email, password });
  const session = await tokenRequest("/auth/token", { body: form });
  setSession(session);
  return session;
}

let refreshing: Promise<Session | null> | null = null;

/** A new access token from the cookie, or null when there is no (valid) one. One at a time:
 * two concurrent refreshes would spend the same token twice, which revokes the sign-in. */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= tokenRequest("/auth/refresh", {})
    .then(
      (session) => {
        setSession(session);
        return session;
      },
      (error: unknown) => {
        if (error instanceof AuthError && error.status === 401) {
          setSession(null);
          return null;
        }
        throw error;
      },
    )
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

export async function signOut(): Promise<void> {
  setSession(null);
  try {
    await fetch("/auth/logout", { method: "POST", credentials: "same-origin" });
  } catch {
    // Signed out here either way; the refresh token expires on its own.
  }
}
