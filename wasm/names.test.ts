// Signal names and wait statuses, as both the model and the host bridge decode them.

import { describe, expect, it } from "vitest";
import { SIGNALS, type SignalName } from "./abi.js";
import { decodeWaitStatus, signalName, signalNameOf, signalNumber } from "./names.js";

describe("signal names", () => {
  it("name every number: the table's names, SIGRTMIN+k, and SIG<n> for the rest", () => {
    expect(signalName(13)).toBe("SIGPIPE");
    expect(signalName(36)).toBe("SIGRTMIN+2");
    expect(signalName(33)).toBe("SIG33");
    expect(signalNameOf(33)).toBeUndefined();
  });

  it("signalNumber inverts signalName for every number 1..SIGRTMAX", () => {
    for (let n = 1; n <= SIGNALS.SIGRTMAX; n++) expect(signalNumber(signalName(n))).toBe(n);
    expect(signalNumber("SIGUSR3" as SignalName)).toBeUndefined();
  });
});

describe("wait statuses decode as the wait(2) macros do", () => {
  it("exited, signaled (with core), stopped, continued", () => {
    expect(decodeWaitStatus(3 << 8)).toEqual({ exited: 3 });
    expect(decodeWaitStatus(0xf)).toEqual({ signaled: "SIGTERM" });
    expect(decodeWaitStatus(0x86)).toEqual({ signaled: "SIGABRT", core: true });
    expect(decodeWaitStatus(0x137f)).toEqual({ stopped: "SIGSTOP" });
    expect(decodeWaitStatus(0xffff)).toEqual({ continued: true });
  });
});
