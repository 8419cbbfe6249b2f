import { describeApiError } from "./apiError";

export function Loading({ what }: { what: string }) {
  return <p className="status" role="status">Loading {what}…</p>;
}

export function ApiErrorMessage({ error }: { error: Error }) {
  return <p className="status error" role="alert">{describeApiError(error)}</p>;
}
