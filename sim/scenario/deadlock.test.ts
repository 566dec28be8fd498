import { expect, test } from "vitest";
import { CALL_NAMES, callSpec } from "../../wasm/calls.js";
import { describesWait } from "./deadlock.js";

test("the deadlock explainer describes the wait of every call the table says can block", () => {
  const blocking = CALL_NAMES.filter((c) => callSpec(c).blocks !== undefined);
  expect(blocking.length).toBeGreaterThan(0);
  expect(blocking.filter((c) => !describesWait(c))).toEqual([]);
});

test("a msgrcv wait is described as msgrcv(2) describes msgtyp (main said " +
  "`a message of type 0`)", async () => {
  const { run } = await import("./run.js");
  const { IPC_CREAT, IPC_PRIVATE } = await import("./constants.js");
  const { wantedMessage } = await import("./deadlock.js");
  const r = await run(async (os) => {
    const q = await os.msgget(IPC_PRIVATE, IPC_CREAT | 0o600);
    await os.msgrcv(q, 16, 0, 0);
  });
  expect(r.verdict.kind).toBe("deadlock");
  expect(r.text().join("\n")).toContain("waiting for any message (msgtyp 0) on queue 0");
  expect(wantedMessage(-3, 0)).toBe("a message of type at most 3 (msgtyp -3: lowest first)");
  expect(wantedMessage(4, 0)).toBe("a message of type 4");
  expect(wantedMessage(4, 0o20000)).toBe("a message of any type but 4 (MSG_EXCEPT)");
});
