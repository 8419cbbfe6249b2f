import { describe, expect, it } from "vitest";
import { newTraceparent } from "./traceparent";

describe("newTraceparent", () => {
  it("is a sampled W3C traceparent, new each time", () => {
    const first = newTraceparent();
    expect(first).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(first).not.toMatch(/^00-0{32}-/);
    expect(newTraceparent()).not.toBe(first);
  });
});
