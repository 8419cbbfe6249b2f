import { useMutation } from "@apollo/client/react";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { CreateSaleDocument, type NewSaleInput } from "../../graphql/generated";

type Item = { id: string; name: string };
type Fields = { itemId: string; price: string; units: string; startsAt: string; endsAt: string };

const EMPTY: Fields = { itemId: "", price: "", units: "1", startsAt: "", endsAt: "" };

/** The sale the fields describe, or why they do not describe one (`datetime-local` values are
 * the admin's local time; the API gets them as UTC instants). */
export function saleInput(fields: Fields): NewSaleInput | { problem: string } {
  const price = Number(fields.price);
  const units = Number(fields.units);
  const startsAt = Date.parse(fields.startsAt);
  const endsAt = Date.parse(fields.endsAt);
  if (!fields.itemId) return { problem: "Choose the item on sale." };
  if (fields.price.trim() === "" || !Number.isFinite(price) || price <= 0) {
    return { problem: "A sale price is more than 0." };
  }
  if (fields.units.trim() === "" || !Number.isInteger(units) || units < 1) {
    return { problem: "Units are a whole number, 1 or more." };
  }
  if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) return { problem: "Give the sale's start and end." };
  if (endsAt <= startsAt) return { problem: "The end is after the start." };
  return {
    itemId: fields.itemId,
    price,
    units,
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
  };
}

/** "Create a flash sale": an item, its sale price, the units and the sale's window. */
export function NewSaleForm({ items }: { items: readonly Item[] }) {
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [problem, setProblem] = useState<string | null>(null);
  const [create, { data, loading, error, reset }] = useMutation(CreateSaleDocument);
  const created = data?.createSale;

  const field = (name: keyof Fields) => ({
    value: fields[name],
    onChange: (event: { target: { value: string } }) => {
      setFields({ ...fields, [name]: event.target.value });
      reset();
    },
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = saleInput(fields);
    if ("problem" in input) return setProblem(input.problem);
    setProblem(null);
    const done = await create({ variables: { input } }).catch(() => null);
    if (done?.data) setFields(EMPTY);
  }

  return (
    <form className="new-sale" onSubmit={(event) => void submit(event)} aria-labelledby="new-sale-heading">
      <h2 id="new-sale-heading">Create a flash sale</h2>
      <label>
        Item{" "}
        <select {...field("itemId")}>
          <option value="">Choose an item</option>
          {items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sale price <input inputMode="decimal" {...field("price")} />
      </label>
      <label>
        Units <input inputMode="numeric" {...field("units")} />
      </label>
      <label>
        Starts <input type="datetime-local" {...field("startsAt")} />
      </label>
      <label>
        Ends <input type="datetime-local" {...field("endsAt")} />
      </label>
      <button type="submit" disabled={loading}>
        Create the sale
      </button>
      {(problem || error) && (
        <p className="error" role="alert">
          {problem ?? error?.message}
        </p>
      )}
      {created && (
        <p className="outcome" role="status">
          Sale created: <Link to={`/sales/${created.id}`}>the flash sale of {created.item.name}</Link>.
        </p>
      )}
    </form>
  );
}
