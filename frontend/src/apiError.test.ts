import { CombinedGraphQLErrors } from "@apollo/client/errors";
import { expect, test } from "vitest";
import { describePurchaseError } from "./apiError";

const graphqlError = (message: string, code: string) =>
  new CombinedGraphQLErrors({ errors: [{ message, extensions: { code } }] });

test("an unknown user or item: nothing was bought, and why", () => {
  expect(describePurchaseError(graphqlError("item 99 not found", "NOT_FOUND"))).toBe(
    "Nothing was bought: item 99 not found.",
  );
});

test("a service that is down: nothing was bought, try again", () => {
  expect(describePurchaseError(graphqlError("users service unavailable", "SERVICE_UNAVAILABLE"))).toBe(
    "Nothing was bought: users service unavailable. Please try again in a moment.",
  );
});

test("no answer at all: nothing was bought, the router may be down", () => {
  expect(describePurchaseError(new TypeError("Failed to fetch"))).toMatch(
    /^Nothing was bought\. Could not reach the shop's API at .*\/graphql\. Is the router running\?$/,
  );
});
