import { describe, expect, test } from "vitest";
import { CALL_NAMES, callSpec, type CallName } from "../../wasm/calls.js";
import { Os, type CallRequest, type OsHost } from "./os.js";

/** A host that records each request and returns 0. */
function recorder(): { host: OsHost; requests: CallRequest[] } {
  const requests: CallRequest[] = [];
  const host: OsHost = {
    call: (_pid, req, map) => {
      requests.push(req);
      return new Promise((resolve) => resolve(map({ ret: 0 })));
    },
    assert: () => {},
    sometimes: () => {},
    log: () => {},
  };
  return { host, requests };
}

describe("the os API", () => {
  test("every call of the table a process makes has an os method", () => {
    const missing = CALL_NAMES.filter((c) => !callSpec(c).clock).filter(
      (c) => typeof (Os.prototype as unknown as Record<CallName, unknown>)[c] !== "function",
    );
    expect(missing).toEqual([]);
  });

  test("a plain call's method is made from its row: positional integers", async () => {
    const { host, requests } = recorder();
    const os = new Os(host, 2);
    await os.close(3);
    await os.dup2(4, 5);
    expect(requests).toEqual([
      { call: "close", args: { fd: 3 } }, { call: "dup2", args: { oldfd: 4, newfd: 5 } },
    ]);
    expect(() => os.dup(1.5)).toThrow("dup fd: expected an integer, got 1.5");
    expect(() => (os.dup2 as (...a: unknown[]) => unknown)(4)).toThrow(
      "dup2: argument 2 (newfd) is required",
    );
  });

  test("a SysV get's mode is or-ed into its flags, as in C", async () => {
    const { host, requests } = recorder();
    await new Os(host, 2).msgget(0, 0o1000 | 0o640);
    expect(requests[0]).toEqual({ call: "msgget", args: { key: 0, flags: 0o1000, mode: 0o640 } });
  });
});
