import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import * as sessions from "./session";
import type { Session } from "./session";

export type Auth = {
  session: Session | null;
  /** True until the first refresh (the page load) has answered. */
  restoring: boolean;
  signIn: (email: string, password: string) => Promise<Session>;
  signOut: () => Promise<void>;
};

const anonymous: Auth = {
  session: null,
  restoring: false,
  signIn: () => Promise.reject(new Error("no sign-in here")),
  signOut: () => Promise.resolve(),
};

const AuthContext = createContext<Auth>(anonymous);

export function useAuth(): Auth {
  return useContext(AuthContext);
}

/** What the provider uses to talk to the users service; tests pass their own. */
export type SessionApi = Pick<
  typeof sessions,
  "signIn" | "signOut" | "refreshSession" | "onSessionChange" | "currentSession"
>;

type Props = { children: ReactNode; api?: SessionApi; onChange?: () => void };

/** Restores the session on load (the refresh cookie), refreshes the access token a minute
 * before it expires, and tells `onChange` (Apollo's cache reset) when the signed-in user changes. */
export function AuthProvider({ children, api = sessions, onChange }: Props) {
  const [session, setSession] = useState<Session | null>(api.currentSession());
  const [restoring, setRestoring] = useState(true);

  useEffect(() => {
    let lastUser = api.currentSession()?.userId ?? null;
    const stop = api.onSessionChange((next) => {
      setSession(next);
      const user = next?.userId ?? null;
      if (user !== lastUser) onChange?.();
      lastUser = user;
    });
    api
      .refreshSession()
      .catch(() => null)
      .finally(() => setRestoring(false));
    return stop;
  }, [api, onChange]);

  useEffect(() => {
    if (!session) return;
    const delay = Math.max(5_000, session.expiresAt - Date.now() - 60_000);
    const timer = setTimeout(() => void api.refreshSession().catch(() => null), delay);
    return () => clearTimeout(timer);
  }, [api, session]);

  const value: Auth = { session, restoring, signIn: api.signIn, signOut: api.signOut };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
