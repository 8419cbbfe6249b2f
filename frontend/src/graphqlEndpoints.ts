/**
 * The router's HTTP and WebSocket endpoints. The configured URL is either absolute (`make dev`:
 * http://localhost:4000/graphql) or a path served by the page's own origin (nginx in compose:
 * /graphql), so it is resolved against the page's URL; subscriptions use the same path over ws(s).
 */
export function graphqlEndpoints(configured: string, pageUrl: string) {
  const http = new URL(configured, pageUrl);
  const ws = new URL(http);
  ws.protocol = http.protocol === "https:" ? "wss:" : "ws:";
  return { httpUrl: http.href, wsUrl: ws.href };
}
