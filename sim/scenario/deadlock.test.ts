import { expect, test } from "vitest";
import { CALL_NAMES, callSpec } from "../../wasm/calls.js";
import { describesWait } from "./deadlock.js";

test("the deadlock explainer describes the wait of every call the table says can block", () => {
  const blocking = CALL_NAMES.filter((c) => callSpec(c).blocks !== undefined);
  expect(blocking.length).toBeGreaterThan(0);
  expect(blocking.filter((c) => !describesWait(c))).toEqual([]);
});
