import { expect, test } from "vitest";
import { describeAccessError } from "../apiError";

test("401, 403 and 429 read as what to do", () => {
  expect(describeAccessError([{ code: "UNAUTHENTICATED" }])).toContain("Please sign in");
  expect(describeAccessError([{ code: "FORBIDDEN" }])).toBe(
    "You may only do this for your own account.",
  );
  expect(describeAccessError([{ code: "RATE_LIMITED", retryAfter: 42 }])).toBe(
    "Too many requests from here. Try again in 42 seconds.",
  );
  expect(describeAccessError([{ code: "NOT_FOUND" }])).toBeNull();
});
