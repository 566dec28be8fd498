// A rule no trace can reach: a sender woken because space appeared, which gets a caught signal
// before it retries, fails with EINTR even though the space is there (ipc/msg.c:do_msgsnd()
// tests signal_pending() right after schedule(), before it looks for space again). A trace runs
// every woken retry before its next step, so only the raw ABI, where the caller decides when a
// woken process retries, can put a kill between the wake and the retry.

import { describe, expect, test } from "vitest";
import { ERRNO, EVENT } from "../../wasm/abi.js";
import { Kernel } from "../../wasm/kernel.js";
import { issue } from "../../sim/model/calls.js";
import { parseTrace } from "../../sim/trace/parse.js";

const STEPS = `{"trace": "ipcsim", "version": 1, "name": "msgsnd-signal-after-wake"}
{"pid": 2, "call": "msgget", "key": "IPC_PRIVATE", "flags": ["IPC_CREAT"], "mode": "0600"}
{"pid": 2, "call": "fork"}
{"pid": 3, "call": "sigaction", "sig": "SIGUSR1", "handler": "catch", "flags": ["SA_RESTART"]}
{"pid": 2, "call": "msgsnd", "msqid": 0, "mtype": 1, "data": {"fill": "a", "count": 8192}}
{"pid": 2, "call": "msgsnd", "msqid": 0, "mtype": 1, "data": {"fill": "a", "count": 8192}}
{"pid": 3, "call": "msgsnd", "msqid": 0, "mtype": 1, "data": "b"}
{"pid": 2, "call": "msgrcv", "msqid": 0, "size": 8192, "msgtyp": 0}
{"pid": 2, "call": "kill", "target": 3, "sig": "SIGUSR1"}
`;

/** Run steps 0..6 (pid 3 ends up woken, not yet retried), then maybe the kill, then the retry. */
function retryAfterWake(kill: boolean): { ret: number; signalled: boolean } {
  const k = new Kernel();
  const steps = parseTrace(STEPS, "msgsnd-signal-after-wake").steps;
  const rets = steps.slice(0, 7).map((s) => issue(k, s).ret);
  expect(rets.slice(0, 5)).toEqual([0, 3, 0, 0, 0]);
  expect(rets[6]).toBe(8192);
  expect(k.woken()).toEqual([3]);
  k.drainEvents();
  if (kill) expect(issue(k, steps[7]).ret).toBe(0);
  const ret = k.retry(3);
  const signalled = k.drainEvents().some((e) => e.pid === 3 && e.kind === EVENT.SIGNAL);
  k.check();
  return { ret, signalled };
}

describe("msgsnd woken by space, then signalled before its retry", () => {
  test("without a signal the retry sends", () => {
    expect(retryAfterWake(false)).toEqual({ ret: 0, signalled: false });
  });
  test("a caught signal (even with SA_RESTART) makes the retry fail with EINTR", () => {
    expect(retryAfterWake(true)).toEqual({ ret: -ERRNO.EINTR, signalled: true });
  });
});
