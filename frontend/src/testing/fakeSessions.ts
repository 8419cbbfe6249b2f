import type { SessionApi } from "../auth/AuthProvider";
import { AuthError, type Session } from "../auth/session";

/** A users service in memory: one account, a cookie that survives "reloads" (new providers). */
export function fakeSessions(
  options: { signedIn?: boolean; refusal?: AuthError; role?: Session["role"] } = {},
) {
  let current: Session | null = null;
  let cookie = options.signedIn ?? false;
  const listeners = new Set<(session: Session | null) => void>();
  const session: Session = {
    accessToken: "token",
    userId: "5",
    role: options.role ?? "customer",
    expiresAt: Date.now() + 15 * 60_000,
  };
  const set = (next: Session | null) => {
    current = next;
    listeners.forEach((listener) => listener(next));
  };
  const api: SessionApi & { signedOut: () => boolean } = {
    currentSession: () => current,
    onSessionChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    refreshSession: async () => {
      set(cookie ? session : null);
      return current;
    },
    signIn: async (email, password) => {
      if (options.refusal) throw options.refusal;
      if (email !== "barbara.liskov@example.com" || password !== "fedshop-demo") {
        throw new AuthError("Wrong email or password.", 401);
      }
      cookie = true;
      set(session);
      return session;
    },
    signOut: async () => {
      cookie = false;
      set(null);
    },
    signedOut: () => !cookie,
  };
  return api;
}
