import { useEffect, useRef } from "react";
import type { SaleDetailsFragment } from "../../graphql/generated";
import { formatCountdown, useNow } from "../../sale/countdown";

type Props = { sale: Pick<SaleDetailsFragment, "state" | "startsAt" | "endsAt">; onElapsed: () => void };

/** The time to the start of an upcoming sale, or to the end of an open one; `onElapsed` once
 * the moment has come. Nothing for a sale that is sold out or over. */
export function Countdown({ sale, onElapsed }: Props) {
  const now = useNow();
  const upcoming = sale.state === "UPCOMING";
  const until = upcoming ? sale.startsAt : sale.endsAt;
  const left = Date.parse(until) - now;
  const counting = upcoming || sale.state === "OPEN";
  const elapsed = counting && left <= 0;

  // The sale asked again brings its new state; until it does (clocks differ), again every 5 s.
  const elapsedRef = useRef(onElapsed);
  elapsedRef.current = onElapsed;
  useEffect(() => {
    if (!elapsed) return;
    elapsedRef.current();
    const timer = setInterval(() => elapsedRef.current(), 5000);
    return () => clearInterval(timer);
  }, [elapsed, until]);

  if (!counting) return null;
  return (
    <p className="countdown" aria-live="off">
      {upcoming ? "Starts in " : "Ends in "}
      <time dateTime={until}>{formatCountdown(left)}</time>
    </p>
  );
}
