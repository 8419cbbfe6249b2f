/** W3C trace context from the browser: each GraphQL request over HTTP starts a trace of its own
 * (`traceparent: 00-<trace id>-<span id>-01`), which the router continues when tracing is on
 * (OTEL_EXPORTER_OTLP_ENDPOINT) and ignores otherwise. No OpenTelemetry package in the bundle,
 * no exporter, no connection: the browser's part of the trace is just this header. */
import { ApolloLink } from "@apollo/client";

function randomHex(bytes: number): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  // All-zero ids are invalid; a real draw of zeros is negligible but is still avoided.
  if (values.every((value) => value === 0)) values[bytes - 1] = 1;
  return Array.from(values, (value) => value.toString(16).padStart(2, "0")).join("");
}

export function newTraceparent(): string {
  return `00-${randomHex(16)}-${randomHex(8)}-01`;
}

export const traceparentLink = new ApolloLink((operation, forward) => {
  operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
    headers: { ...headers, traceparent: newTraceparent() },
  }));
  return forward(operation);
});
