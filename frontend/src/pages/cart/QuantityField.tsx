import { useState } from "react";
import { MAX_QUANTITY, MIN_QUANTITY } from "../../cart/cart";

type Props = { label: string; quantity: number; onChange: (quantity: number) => void; disabled: boolean };

/** A line's quantity: each whole number from 1 to 100 is kept as typed; anything else is
 * said so and, on leaving the field, put back to the quantity kept. */
export function QuantityField({ label, quantity, onChange, disabled }: Props) {
  const [text, setText] = useState(String(quantity));
  const [editedFrom, setEditedFrom] = useState(quantity);
  // The quantity changed elsewhere (another tab, Add to cart): show it.
  if (editedFrom !== quantity) {
    setEditedFrom(quantity);
    setText(String(quantity));
  }
  const value = Number(text);
  const valid = text.trim() !== "" && Number.isInteger(value) && value >= MIN_QUANTITY && value <= MAX_QUANTITY;

  return (
    <span className="quantity">
      <input
        type="number"
        min={MIN_QUANTITY}
        max={MAX_QUANTITY}
        step={1}
        aria-label={label}
        aria-invalid={!valid}
        disabled={disabled}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          const next = Number(event.target.value);
          if (event.target.value.trim() !== "" && Number.isInteger(next) && next >= MIN_QUANTITY && next <= MAX_QUANTITY) {
            setEditedFrom(next);
            onChange(next);
          }
        }}
        onBlur={() => setText(String(quantity))}
      />
      {!valid && (
        <span className="error" role="alert">
          {MIN_QUANTITY} to {MAX_QUANTITY}
        </span>
      )}
    </span>
  );
}
