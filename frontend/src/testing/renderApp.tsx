import type { MockLink } from "@apollo/client/testing";
import { MockedProvider } from "@apollo/client/testing/react";
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { App } from "../App";
import { AuthProvider, type SessionApi } from "../auth/AuthProvider";

/** The whole app at `path`, its GraphQL requests answered by `mocks` (and nothing else); with
 * `auth`, behind an AuthProvider talking to that fake users service. */
export function renderApp(path: string, mocks: MockLink.MockedResponse[], auth?: SessionApi) {
  const app = (
    <MemoryRouter initialEntries={[path]}>
      <App />
    </MemoryRouter>
  );
  return render(
    <MockedProvider mocks={mocks}>{auth ? <AuthProvider api={auth}>{app}</AuthProvider> : app}</MockedProvider>,
  );
}
