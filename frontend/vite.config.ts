/// <reference types="vitest/config" />
import { defineConfig, type ProxyOptions } from "vite";
import react from "@vitejs/plugin-react";

// The SPA reaches the API on its own origin, as nginx serves it in compose: the router for
// /graphql (HTTP and WebSocket), the users service for /auth and /.well-known. So there is no
// CORS (the page works opened at 127.0.0.1 as well as at localhost) and the refresh cookie is
// first-party. FEDSHOP_ROUTER_URL / FEDSHOP_USERS_URL point elsewhere (the tests do).
const routerUrl = process.env.FEDSHOP_ROUTER_URL ?? "http://127.0.0.1:4000";
const usersUrl = process.env.FEDSHOP_USERS_URL ?? "http://127.0.0.1:4001";
// xfwd: the services' per-client throttles see the browser's address, not the proxy's.
const proxy: Record<string, ProxyOptions> = {
  "/graphql": { target: routerUrl, ws: true, xfwd: true },
  "/auth": { target: usersUrl, xfwd: true },
  "/.well-known": { target: usersUrl, xfwd: true },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, strictPort: true, proxy },
  preview: { proxy },
  test: {
    environment: "jsdom",
    setupFiles: ["src/testing/setup.ts"],
    // A test types and clicks through a page; on a loaded machine that can pass 5 s.
    testTimeout: 20000,
  },
});
