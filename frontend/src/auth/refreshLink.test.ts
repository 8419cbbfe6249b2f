import { ApolloClient, ApolloLink, InMemoryCache, gql } from "@apollo/client";
import { Observable } from "rxjs";
import { expect, test } from "vitest";
import { refreshOnceLink } from "./refreshLink";

const ME = gql`
  query Me {
    me {
      id
    }
  }
`;

/** A router that refuses the first `refusals` requests as UNAUTHENTICATED; records the tokens. */
function router(refusals: number, tokens: string[], token: () => string) {
  return new ApolloLink(
    () =>
      new Observable((observer) => {
        tokens.push(token());
        if (tokens.length <= refusals) {
          observer.next({ errors: [{ message: "expired", extensions: { code: "UNAUTHENTICATED" } }] });
        } else {
          observer.next({ data: { me: { __typename: "User", id: "5" } } });
        }
        observer.complete();
      }),
  );
}

function client(refusals: number, signedIn: boolean) {
  let token = "old";
  const tokens: string[] = [];
  let refreshes = 0;
  const refresh = async () => {
    refreshes += 1;
    token = "new";
  };
  const link = ApolloLink.from([
    refreshOnceLink(() => signedIn, refresh),
    router(refusals, tokens, () => token),
  ]);
  const apollo = new ApolloClient({ link, cache: new InMemoryCache() });
  return { apollo, tokens, refreshes: () => refreshes };
}

test("an expired token is refreshed once and the request asked again", async () => {
  const { apollo, tokens, refreshes } = client(1, true);
  const { data } = await apollo.query({ query: ME });
  expect(data).toEqual({ me: { __typename: "User", id: "5" } });
  expect(tokens).toEqual(["old", "new"]);
  expect(refreshes()).toBe(1);
});

test("a second refusal, or an anonymous caller, gets the error", async () => {
  const twice = client(2, true);
  await expect(twice.apollo.query({ query: ME })).rejects.toThrow("expired");
  expect(twice.refreshes()).toBe(1);

  const anonymous = client(1, false);
  await expect(anonymous.apollo.query({ query: ME })).rejects.toThrow("expired");
  expect(anonymous.refreshes()).toBe(0);
});
