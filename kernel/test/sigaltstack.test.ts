// The alternate signal stack's state at the model's limits (kernel/sigaltstack.ts): frames as
// deep as they go, each saving the setting and running on the stack it switched to; the page
// allocated under open frames; hostile stack_t values; the page's lifetime across fork and
// exit. The kernel's invariants (kernel_check: the setting and the frames' records valid, every
// page counted) hold after every step. What Linux does is in the recorded cases
// signal-altstack-basic and signal-altstack-handler.

import { describe, expect, test } from "vitest";
import { ModelReplay } from "../../sim/model/engine.js";
import { parseTrace } from "../../sim/trace/parse.js";
import type { Outcome, Result } from "../../sim/trace/types.js";

const line = (o: object) => JSON.stringify(o);
const HEADER = line({ trace: "ipcsim", version: 1, name: "altstack", description: "model only" });

/** Run the steps on the model (kernel_check after each): each step's first outcome. */
function run(steps: object[]): Outcome[] {
  const trace = parseTrace([HEADER, ...steps.map(line)].join("\n"), "<altstack>");
  const model = new ModelReplay(trace, { check: true });
  return trace.steps.map((s) => {
    const outcomes = model.step(s);
    model.chooseAll();
    return outcomes[0];
  });
}

const alt = (ss: object | null, pid = 2) => ({ pid, call: "sigaltstack", ss });
const R1 = { sp: 1 << 20, size: 65536 };
const oldss = (r: Result | undefined) => (r !== undefined && r !== "blocked" ? r.oldss : null);
const errno = (r: Result | undefined) => (r !== undefined && r !== "blocked" ? r.errno : null);

describe("sigaltstack at the model's limits", () => {
  test("160 nested SA_ONSTACK frames on the stack: each on it, each sigreturn EPERM", () => {
    const steps: object[] = [
      { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "calls",
        flags: ["SA_ONSTACK", "SA_NODEFER"] },
      alt(R1),
    ];
    for (let d = 1; d <= 160; d++) {
      steps.push({ pid: 2, call: "kill", target: 2, sig: "SIGUSR1" }, alt(null));
    }
    steps.push(alt({ flags: ["SS_DISABLE"] }));
    for (let d = 160; d >= 1; d--) steps.push({ pid: 2, call: "sigreturn" });
    steps.push(alt(null));
    const out = run(steps);
    const queries = out.filter((o, i) => o.call === "sigaltstack" && i > 1 && i < 322);
    expect(queries).toHaveLength(160);
    expect(queries.every((o) => oldss(o.result)?.flags === 1)).toBe(true); // SS_ONSTACK
    expect(errno(out[322].result)).toBe("EPERM");
    expect(oldss(out[out.length - 1].result)).toEqual({ ...R1, flags: 0 });
  });

  test("SS_AUTODISARM: 160 nested deliveries each reset it; the outer sigreturn restores", () => {
    const steps: object[] = [
      { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "calls",
        flags: ["SA_ONSTACK", "SA_NODEFER"] },
      alt({ ...R1, flags: ["SS_AUTODISARM"] }),
    ];
    // Each handler re-arms a stack of its own (allowed: the delivery disarmed it), so that
    // every frame switches to a new region.
    for (let d = 1; d <= 160; d++) {
      steps.push({ pid: 2, call: "kill", target: 2, sig: "SIGUSR1" },
        alt({ sp: (d + 1) << 20, size: 65536, flags: ["SS_AUTODISARM"] }));
    }
    for (let d = 160; d >= 1; d--) steps.push({ pid: 2, call: "sigreturn" });
    steps.push(alt(null));
    const out = run(steps);
    const sets = out.filter((o, i) => o.call === "sigaltstack" && i > 1 && i < 322);
    // Each saw the setting disarmed (SS_DISABLE) by the delivery that began its handler.
    expect(sets.every((o) => oldss(o.result)?.flags === 2)).toBe(true);
    expect(oldss(out[out.length - 1].result)).toEqual({ ...R1, flags: 0x80000000 });
  });

  test("a page allocated under open frames: they read as saved disabled, on the normal stack",
    () => {
      const out = run([
        { pid: 2, call: "sigaction", sig: "SIGUSR1", handler: "calls", flags: [] },
        { pid: 2, call: "sigaction", sig: "SIGUSR2", handler: "calls", flags: ["SA_ONSTACK"] },
        { pid: 2, call: "kill", target: 2, sig: "SIGUSR1" }, // no page yet
        alt(R1), // allocates it
        { pid: 2, call: "kill", target: 2, sig: "SIGUSR2" }, // switches to R1
        alt(null),
        { pid: 2, call: "sigreturn" }, // restores R1 (EPERM: no change anyway)
        alt(null),
        { pid: 2, call: "sigreturn" }, // restores the disabled setting it saved
        alt(null),
      ]);
      expect(oldss(out[5].result)).toEqual({ ...R1, flags: 1 });
      expect(oldss(out[7].result)).toEqual({ ...R1, flags: 0 });
      expect(oldss(out[9].result)).toEqual({ sp: 0, size: 0, flags: 2 });
    });

  test("hostile stack_t values give Linux's errors and never trap", () => {
    const max = 2 ** 32 - 1;
    const out = run([
      alt({ sp: max, size: max, flags: [] }),
      alt(null),
      alt({ sp: max, size: max, flags: 0xffffffff }),
      alt({ sp: max, size: 2047, flags: ["SS_AUTODISARM"] }),
      alt({ sp: max, size: max, flags: ["SS_DISABLE", "SS_AUTODISARM"] }),
      alt(null),
    ]);
    expect(out[0].result).toMatchObject({ ret: 0 });
    expect(oldss(out[1].result)).toEqual({ sp: max, size: max, flags: 0 });
    expect(errno(out[2].result)).toBe("EINVAL");
    expect(errno(out[3].result)).toBe("ENOMEM");
    expect(oldss(out[5].result)).toEqual({ sp: 0, size: 0, flags: 0x80000002 });
  });

  test("fork copies the page; exit gives it back (kernel_check counts it)",
    () => {
      const out = run([
        alt(R1),
        { pid: 2, call: "fork" },
        alt(null, 3),
        alt({ flags: ["SS_DISABLE"] }, 3),
        { pid: 3, call: "exit", status: 0 },
        { pid: 2, call: "waitpid", target: 3, options: [] },
        alt(null),
      ]);
      expect(oldss(out[2].result)).toEqual({ ...R1, flags: 0 });
      expect(oldss(out[6].result)).toEqual({ ...R1, flags: 0 });
    });
});
