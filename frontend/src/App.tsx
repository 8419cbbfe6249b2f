import { Link, Route, Routes } from "react-router";
import { UserPage } from "./pages/UserPage";
import { UsersPage } from "./pages/UsersPage";

export function App() {
  return (
    <>
      <header className="topbar">
        <Link to="/" className="brand">
          fedshop
        </Link>
      </header>
      <main className="page">
        <Routes>
          <Route path="/" element={<UsersPage />} />
          <Route path="/users/:id" element={<UserPage />} />
          <Route path="*" element={<p className="status">This page does not exist.</p>} />
        </Routes>
      </main>
    </>
  );
}
