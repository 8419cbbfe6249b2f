import { Link, Route, Routes } from "react-router";
import { useAuth } from "./auth/AuthProvider";
import { SessionBar } from "./auth/SessionBar";
import { Loading } from "./components";
import { SignInPage } from "./pages/SignInPage";
import { UserPage } from "./pages/UserPage";
import { UsersPage } from "./pages/UsersPage";

export function App() {
  const { restoring } = useAuth();
  return (
    <>
      <header className="topbar">
        <Link to="/" className="brand">
          fedshop
        </Link>
        <SessionBar />
      </header>
      <main className="page">
        {/* Pages wait for the session (a reload restores it), so they ask as the right user. */}
        {restoring ? (
          <Loading what="your session" />
        ) : (
          <Routes>
            <Route path="/" element={<UsersPage />} />
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/users/:id" element={<UserPage />} />
            <Route path="*" element={<p className="status">This page does not exist.</p>} />
          </Routes>
        )}
      </main>
    </>
  );
}
