import { Link } from "react-router";

/** The user's cart, with the units in it, and the user's orders. */
export function ShoppingLinks({ userId, inCart }: { userId: string; inCart: number }) {
  return (
    <nav className="links" aria-label="Cart and orders">
      <Link to={`/users/${userId}/cart`}>Cart ({inCart})</Link>
      <Link to={`/users/${userId}/orders`}>Orders</Link>
    </nav>
  );
}
