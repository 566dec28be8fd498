// The generator's weights (weights.ts) cover the call table, and a misspelt weight fails.

import { describe, expect, it, vi } from "vitest";
import { CALL_NAMES, CALL_TABLE as CALLS, type Mechanism } from "../wasm/calls.js";
import { traceArb } from "./arbitraries.js";
import { CALL_TABLE } from "./call-table.js";
import { main as fuzzDiff } from "./fuzz-diff.js";
import {
  checkWeights, DEFAULT_WEIGHTS, ENTRY_NAMES, entryMechanism, HEAVY, heavyPreset, MEM_OFF,
  MSG_OFF, off, only, parseWeights, PIPES_OFF, SEM_OFF, SIGNALS_OFF, TIME_OFF, type Weights,
} from "./weights.js";

describe("every call of wasm/calls.ts is generated", () => {
  it.each(CALL_NAMES)("%s has a generator entry with a default weight > 0", (call) => {
    const drawn = CALL_TABLE.filter((k) => k.call === call && DEFAULT_WEIGHTS[k.name] > 0);
    expect(drawn.map((k) => k.name), `add an entry for ${call} (properties/README.md)`)
      .not.toEqual([]);
  });

  it("the generator's entries are the entry names of weights.ts, each once", () => {
    expect(CALL_TABLE.map((k) => k.name).sort()).toEqual([...ENTRY_NAMES].sort());
  });
});

describe("a misspelt weight throws, naming the entries", () => {
  it("in traceArb's weights", () => {
    const weights = { msgsndd: 3 } as Weights;
    expect(() => traceArb({ weights })).toThrow(/unknown generator entry "msgsndd".*msgsnd/);
  });

  it("in JSON weights, with bad values too", () => {
    expect(() => parseWeights('{"fcntl": 1}', "--weights")).toThrow(/"fcntl".*fcntl-setfl/);
    expect(() => parseWeights('{"pipe": -1}', "--weights")).toThrow(/integer >= 0/);
    expect(() => parseWeights('{"pipe": 1.5}', "--weights")).toThrow(/integer >= 0/);
    expect(() => parseWeights("[1]", "--weights")).toThrow(/an object/);
    expect(() => parseWeights("{", "--weights")).toThrow(/not JSON/);
    expect(parseWeights('{"pipe": 0, "waitpid-stopped": 4}', "--weights"))
      .toEqual({ pipe: 0, "waitpid-stopped": 4 });
  });

  it("in an unknown --heavy preset, naming the presets", () => {
    expect(() => heavyPreset("semaphores")).toThrow(/--heavy takes proc, .*sem.*; got/);
    expect(heavyPreset("signals")).toBe(HEAVY.signal.weights);
  });

  it("in fuzz:diff's flags (exit 2 before any trace runs)", async () => {
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await fuzzDiff(["--weights", '{"sigaction ": 2}'])).toBe(2);
    expect(await fuzzDiff(["--heavy", "nope"])).toBe(2);
    expect(printed.mock.calls.map((c) => String(c[0])).join("\n")).toMatch(/"nope".*\n.*usage/);
    printed.mockRestore();
  });
});

describe("the presets", () => {
  it("every preset is made of known entries and draws some", () => {
    for (const [name, { weights }] of Object.entries(HEAVY)) {
      checkWeights(weights, name);
      const drawn = ENTRY_NAMES.filter((n) => (weights[n] ?? DEFAULT_WEIGHTS[n]) > 0);
      expect(drawn.length, name).toBeGreaterThan(2);
    }
  });

  it("--heavy X for a mechanism X gives X's entries at least 40% of the weight", () => {
    const mechanisms = [...new Set(CALL_NAMES.map((c) => CALLS[c].mechanism))];
    for (const m of mechanisms as Mechanism[]) {
      const weights = { ...DEFAULT_WEIGHTS, ...HEAVY[m].weights };
      const total = ENTRY_NAMES.reduce((sum, n) => sum + weights[n], 0);
      const mine = ENTRY_NAMES.filter((n) => entryMechanism(n) === m)
        .reduce((sum, n) => sum + weights[n], 0);
      expect(mine / total, m).toBeGreaterThan(0.4);
    }
  });

  it("the *_OFF sets are their mechanisms' entries, waitpid-stopped counted with signals", () => {
    const zeros = (w: Weights) => Object.keys(w).filter((k) => w[k as keyof Weights] === 0);
    expect(zeros(MSG_OFF)).toEqual(["msgget", "msgsnd", "msgrcv", "msgctl"]);
    expect(zeros(SEM_OFF)).toEqual(["semget", "semop", "semtimedop", "semctl"]);
    expect(zeros(MEM_OFF)).toEqual(
      ["shmget", "shmat", "shmdt", "shmctl", "mmap", "munmap", "mprotect", "store", "load",
        "msync"],
    );
    expect(zeros(SIGNALS_OFF)).toEqual([
      "kill", "sigqueue", "sigaction", "sigprocmask", "sigpending", "pause", "sigsuspend",
      "sigtimedwait", "signalfd4", "read-signalfd", "raise", "tgkill", "rt_tgsigqueueinfo",
      "signal", "sigreturn", "sigaction-calls", "kill-caught", "waitpid-stopped", "sigaltstack",
    ]);
    expect(zeros(PIPES_OFF)).toContain("fcntl-setpipe-sz");
    expect(zeros(PIPES_OFF)).toContain("unlink");
    expect(zeros(PIPES_OFF)).not.toContain("waitpid");
    expect(zeros(TIME_OFF)).toEqual(expect.arrayContaining(["alarm", "nanosleep", "advance"]));
    expect(zeros(TIME_OFF)).not.toContain("semtimedop");
  });

  it("only() turns every entry it does not name off", () => {
    const w = only({ fork: 2 });
    expect(Object.keys(w).length).toBe(ENTRY_NAMES.length);
    expect(ENTRY_NAMES.filter((n) => w[n] !== 0)).toEqual(["fork"]);
    expect(off()).toEqual({});
  });
});
