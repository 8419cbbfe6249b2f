import { useMutation, useQuery } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useAuth } from "../auth/AuthProvider";
import { ApiErrorMessage, Loading } from "../components";
import { describeStock, formatPrice } from "../format";
import {
  CatalogDocument,
  CreateItemDocument,
  SetItemActiveDocument,
  UpdateItemDocument,
  type CatalogRowFragment,
} from "../graphql/generated";
import { NewSaleForm } from "./admin/NewSaleForm";
import { Pager, useCursorPages } from "./UsersPage";

export const ITEMS_PER_PAGE = 10;

/** The warehouse, for admins: the catalog a page at a time; prices, quantities, active flags and
 * new items. The shop's pages show a change once the shop's copy has it (a moment later). */
export function AdminPage() {
  const { session } = useAuth();
  if (!session) {
    return (
      <p className="status">
        The warehouse is for admins: <Link to="/sign-in">sign in</Link> as one.
      </p>
    );
  }
  if (session.role !== "admin") {
    return <p className="status error">The warehouse is for admins only.</p>;
  }
  return <Catalog />;
}

function Catalog() {
  const { after, pagerFor } = useCursorPages();
  const { data, loading, error, refetch } = useQuery(CatalogDocument, {
    variables: { first: ITEMS_PER_PAGE, after },
    fetchPolicy: "cache-and-network",
  });

  let content;
  if (!data && loading) content = <Loading what="the catalog" />;
  else if (!data) content = error ? <ApiErrorMessage error={error} /> : null;
  else {
    const page = data.catalog;
    content = (
      <>
        <table className="catalog">
          <thead>
            <tr>
              <th>Item</th>
              <th>Price</th>
              <th>Quantity</th>
              <th>On sale</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node }) => (
              <CatalogRow key={node.id} item={node} />
            ))}
          </tbody>
        </table>
        <Pager {...pagerFor(page.pageInfo, `${page.totalCount} items`)} />
      </>
    );
  }

  return (
    <>
      <h1>Warehouse</h1>
      {content}
      <NewItemForm onCreated={() => void refetch()} />
      {/* A sale of one of the items on this page of the catalog. */}
      {data && <NewSaleForm items={data.catalog.edges.map(({ node }) => node)} />}
    </>
  );
}

/** An empty field means "untracked" for a quantity; otherwise a whole number. */
function parseQuantity(text: string): number | null | "invalid" {
  if (text.trim() === "") return null;
  const value = Number(text);
  return Number.isInteger(value) && value >= 0 ? value : "invalid";
}

function CatalogRow({ item }: { item: CatalogRowFragment }) {
  const [price, setPrice] = useState(formatPrice(item.price));
  const [quantity, setQuantity] = useState(item.quantity === null ? "" : String(item.quantity));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [update, { loading: saving, error: saveError }] = useMutation(UpdateItemDocument);
  const [setActive, { loading: toggling, error: toggleError }] = useMutation(SetItemActiveDocument);
  const error = saveError ?? toggleError;

  async function save(event: FormEvent) {
    event.preventDefault();
    const newPrice = Number(price);
    const newQuantity = parseQuantity(quantity);
    if (!Number.isFinite(newPrice) || newPrice < 0) return setProblem("a price is 0 or more");
    if (newQuantity === "invalid") return setProblem("a quantity is a whole number, or empty");
    setProblem(null);
    const done = await update({
      variables: { id: item.id, input: { price: newPrice, quantity: newQuantity } },
    }).catch(() => null);
    setSaved(Boolean(done?.data));
  }

  const label = item.name;
  return (
    <tr className={item.active ? "catalog-row" : "catalog-row inactive"}>
      <td>
        {item.name}
        <span className="muted stock"> {describeStock(item.quantity) ?? "unlimited"}</span>
      </td>
      <td>
        <input
          aria-label={`Price of ${label}`}
          inputMode="decimal"
          value={price}
          onChange={(event) => {
            setPrice(event.target.value);
            setSaved(false);
          }}
        />
      </td>
      <td>
        <input
          aria-label={`Quantity of ${label}`}
          inputMode="numeric"
          placeholder="unlimited"
          value={quantity}
          onChange={(event) => {
            setQuantity(event.target.value);
            setSaved(false);
          }}
        />
      </td>
      <td>
        <button
          type="button"
          aria-pressed={item.active}
          aria-label={`${item.active ? "Take off sale" : "Put on sale"}: ${label}`}
          disabled={toggling}
          onClick={() =>
            void setActive({ variables: { id: item.id, active: !item.active } }).catch(() => null)
          }
        >
          {item.active ? "On sale" : "Off sale"}
        </button>
      </td>
      <td>
        <form onSubmit={save}>
          <button type="submit" disabled={saving} aria-label={`Save ${label}`}>
            Save
          </button>
          {saved && <span className="muted"> saved</span>}
        </form>
        {(problem || error) && (
          <span className="error" role="alert">
            {problem ?? error?.message}
          </span>
        )}
      </td>
    </tr>
  );
}

function NewItemForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState("");
  const [price, setPrice] = useState("");
  const [quantity, setQuantity] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [create, { loading, error }] = useMutation(CreateItemDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const newPrice = Number(price);
    const newQuantity = parseQuantity(quantity);
    if (!name.trim()) return setProblem("an item needs a name");
    if (price.trim() === "" || !Number.isFinite(newPrice) || newPrice < 0)
      return setProblem("a price is 0 or more");
    if (newQuantity === "invalid") return setProblem("a quantity is a whole number, or empty");
    setProblem(null);
    const done = await create({
      variables: { input: { name: name.trim(), price: newPrice, quantity: newQuantity } },
    }).catch(() => null);
    if (done?.data) {
      setName("");
      setPrice("");
      setQuantity("");
      onCreated();
    }
  }

  return (
    <form className="new-item" onSubmit={submit} aria-labelledby="new-item-heading">
      <h2 id="new-item-heading">Add an item</h2>
      <label>
        Name <input value={name} onChange={(event) => setName(event.target.value)} />
      </label>
      <label>
        Price <input inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
      </label>
      <label>
        Quantity{" "}
        <input
          inputMode="numeric"
          placeholder="unlimited"
          value={quantity}
          onChange={(event) => setQuantity(event.target.value)}
        />
      </label>
      <button type="submit" disabled={loading}>
        Add item
      </button>
      {(problem || error) && (
        <p className="error" role="alert">
          {problem ?? error?.message}
        </p>
      )}
    </form>
  );
}
