import { Link, Route, Routes } from "react-router";
import { useAuth } from "./auth/AuthProvider";
import { SessionBar } from "./auth/SessionBar";
import { Loading } from "./components";
import { AdminPage } from "./pages/AdminPage";
import { CartPage } from "./pages/CartPage";
import { OrderPage } from "./pages/OrderPage";
import { SalePage } from "./pages/SalePage";
import { SalesPage } from "./pages/SalesPage";
import { SignInPage } from "./pages/SignInPage";
import { UserOrdersPage } from "./pages/UserOrdersPage";
import { UserPage } from "./pages/UserPage";
import { UsersPage } from "./pages/UsersPage";

export function App() {
  const { restoring, session } = useAuth();
  return (
    <>
      <header className="topbar">
        <Link to="/" className="brand">
          fedshop
        </Link>
        <Link to="/sales" className="sales-link">
          Flash sales
        </Link>
        {session?.role === "admin" && (
          <Link to="/admin" className="admin-link">
            Warehouse
          </Link>
        )}
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
            <Route path="/users/:id/cart" element={<CartPage />} />
            <Route path="/users/:id/orders" element={<UserOrdersPage />} />
            <Route path="/orders/:id" element={<OrderPage />} />
            <Route path="/sales" element={<SalesPage />} />
            <Route path="/sales/:id" element={<SalePage />} />
            <Route path="/admin" element={<AdminPage />} />
            <Route path="*" element={<p className="status">This page does not exist.</p>} />
          </Routes>
        )}
      </main>
    </>
  );
}
