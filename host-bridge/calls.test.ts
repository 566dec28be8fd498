// The host's call layouts: the derived encoder writes the command lines the hand-written one
// did, the agent's generated table agrees with the TS table, and every call has a handler.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CALLS, type CallName } from "../wasm/abi.js";
import { CALL_NAMES, CALL_TABLE, callSpec, type CType } from "../wasm/calls.js";
import { parseTrace } from "../sim/trace/parse.js";
import type { IntArg, Step } from "../sim/trace/types.js";
import {
  ABSENT, agentTable, encodeArgs, LAYOUTS, signalMask, type AddressOf, type Token,
} from "./calls.js";
import { runOnHost } from "./host.js";
import { encodeStep } from "./protocol.js";
import { hostIt, trace } from "./testing.js";

const NO_FLOCK = [ABSENT, ABSENT, ABSENT, ABSENT, ABSENT];
const root = join(import.meta.dirname, "..");
const noRefs = (a: IntArg) => (typeof a === "number" ? a : 0x7f0000000000 + a.offset);

// ---- the hand-written encoder the derivation replaced (issue 11), kept to prove it equal ----

function oldSetFields(buf: Record<string, unknown> | null, prefix: string, extra: string[]) {
  const perm = (buf?.[`${prefix}_perm`] ?? {}) as Record<string, unknown>;
  const field = (o: Record<string, unknown>, name: string): Token => o[name] as number ?? ABSENT;
  return [field(perm, "uid"), field(perm, "gid"), field(perm, "mode"),
    ...extra.map((name) => field(buf ?? {}, name))];
}

type Encoded = { ints: Token[]; bytes?: Uint8Array };
const text = (s: string) => new TextEncoder().encode(s);
type ArgsOf<C extends CallName> = Extract<Step, { call: C }>["args"];
type Encoder<C extends CallName> = (a: ArgsOf<C>, addr: AddressOf) => Encoded;
const OLD_CALL_INTS: { [C in CallName]?: Encoder<C> } = {
  fork: () => ({ ints: [] }),
  exit: (a) => ({ ints: [a.status] }),
  waitpid: (a) => ({ ints: [a.target, a.options] }),
  close: (a) => ({ ints: [a.fd] }),
  dup: (a) => ({ ints: [a.fd] }),
  dup2: (a) => ({ ints: [a.oldfd, a.newfd] }),
  fcntl: (a) => ({
    ints: [a.fd, a.cmd, ...(typeof a.arg === "number"
      ? [a.arg, ABSENT, ABSENT, ...NO_FLOCK]
      : "l_type" in a.arg
        ? [ABSENT, ABSENT, ABSENT, a.arg.l_type, a.arg.l_whence, a.arg.l_start, a.arg.l_len,
          a.arg.l_pid]
        : [ABSENT, a.arg.type, a.arg.pid, ...NO_FLOCK])],
  }),
  pipe: (a) => ({ ints: [a.flags] }),
  read: (a) => ({ ints: [a.fd, a.count] }),
  write: (a) => ({ ints: [a.fd], bytes: a.data }),
  mkfifo: (a) => ({ ints: [a.mode], bytes: text(a.path) }),
  open: (a) => ({ ints: [a.flags, a.mode], bytes: text(a.path) }),
  unlink: (a) => ({ ints: [], bytes: text(a.path) }),
  msgget: (a) => ({ ints: [a.key, a.flags, a.mode] }),
  msgsnd: (a) => ({ ints: [a.msqid, a.mtype, a.flags], bytes: a.data }),
  msgrcv: (a) => ({ ints: [a.msqid, a.size, a.msgtyp, a.flags] }),
  msgctl: (a) => ({ ints: [a.msqid, a.cmd, ...oldSetFields(a.buf, "msg", ["msg_qbytes"])] }),
  semget: (a) => ({ ints: [a.key, a.nsems, a.flags, a.mode] }),
  semop: (a) => ({ ints: [a.semid, ...a.sops.flatMap((s) => [s.num, s.op, s.flags])] }),
  semtimedop: (a) => ({
    ints: [a.semid, a.timeout ? 1 : 0, a.timeout?.sec ?? 0, a.timeout?.nsec ?? 0,
      ...a.sops.flatMap((s) => [s.num, s.op, s.flags])],
  }),
  semctl: (a) => {
    const val = typeof a.arg === "number" ? a.arg : ABSENT;
    const buf = a.arg !== null && typeof a.arg === "object" && !Array.isArray(a.arg) ? a.arg : null;
    const values = Array.isArray(a.arg) ? a.arg : [];
    return { ints: [a.semid, a.semnum, a.cmd, val, ...oldSetFields(buf, "sem", []), ...values] };
  },
  shmget: (a) => ({ ints: [a.key, a.size, a.flags, a.mode] }),
  shmat: (a, addr) => ({ ints: [a.shmid, addr(a.shmaddr), a.flags] }),
  shmdt: (a, addr) => ({ ints: [addr(a.shmaddr)] }),
  shmctl: (a) => ({ ints: [a.shmid, a.cmd, ...oldSetFields(a.buf, "shm", [])] }),
  mmap: (a, addr) => ({ ints: [addr(a.addr), a.length, a.prot, a.flags, a.fd, a.offset] }),
  munmap: (a, addr) => ({ ints: [addr(a.addr), a.length] }),
  mprotect: (a, addr) => ({ ints: [addr(a.addr), a.length, a.prot] }),
  store: (a, addr) => ({ ints: [addr(a.addr)], bytes: a.data }),
  load: (a, addr) => ({ ints: [addr(a.addr), a.count] }),
  kill: (a) => ({ ints: [a.target, a.sig] }),
  sigaction: (a) => ({ ints: [a.sig, a.handler, a.flags, signalMask(a.mask)] }),
  sigprocmask: (a) => ({ ints: [a.how, signalMask(a.set)] }),
  sigpending: () => ({ ints: [] }),
  pause: () => ({ ints: [] }),
  sigsuspend: (a) => ({ ints: [signalMask(a.mask)] }),
};

function oldEncodeStep(step: Step, encode: Encoder<CallName>): string {
  const { ints, bytes } = encode(step.args as never, noRefs);
  const hex = bytes && bytes.length > 0 ? Buffer.from(bytes).toString("hex") : ABSENT;
  return ["S", step.index, step.pid, CALLS[step.call], ints.length, ...ints, hex].join(" ");
}

function traceFiles(): string[] {
  const cases = join(root, "kernel/test/cases");
  return [
    join(root, "sim/trace/testdata/every-call.jsonl"),
    ...readdirSync(cases).filter((f) => f.endsWith(".jsonl")).sort().map((f) => join(cases, f)),
  ];
}

describe("the derived encoder", () => {
  it("writes every step of every-call.jsonl and the kernel cases as the old encoder did", () => {
    const seen = new Set<CallName>();
    let compared = 0;
    for (const file of traceFiles()) {
      const trace = parseTrace(readFileSync(file, "utf8"), file);
      for (const step of trace.steps) {
        const old = OLD_CALL_INTS[step.call] as Encoder<CallName> | undefined;
        if (!old) continue; // a call added after the derivation: the host tests check it
        expect(encodeStep(step, noRefs), `${file} line ${step.line}`)
          .toBe(oldEncodeStep(step, old));
        seen.add(step.call);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(8000);
    expect(CALL_NAMES.filter((c) => OLD_CALL_INTS[c] && !seen.has(c))).toEqual([]);
  });

  it("writes as many fixed integers as the layout names", () => {
    const trace = parseTrace(readFileSync(traceFiles()[0], "utf8"), "every-call.jsonl");
    for (const step of trace.steps) {
      const fields = encodeStep(step, noRefs).split(" ");
      const n = Number(fields[4]);
      const { fixed, vars } = LAYOUTS[step.call];
      if (vars === "none") expect(n, step.call).toBe(fixed.length);
      else expect(n, step.call).toBeGreaterThanOrEqual(fixed.length);
    }
  });

  it("names pids and SysV ids, and the host limits", () => {
    expect(LAYOUTS.kill.fixed).toEqual([
      { name: "target", role: "pid", limit: "not_host_pid", c: "int" },
      { name: "sig", role: "int", c: "int" },
    ]);
    expect(LAYOUTS.waitpid.fixed[0]).toEqual({ name: "target", role: "pid", c: "int" });
    expect(LAYOUTS.load.fixed[1])
      .toEqual({ name: "count", role: "int", limit: "data_max", c: "size_t" });
    expect(LAYOUTS.msgctl.fixed.map((s) => s.name))
      .toEqual(["msqid", "cmd", "uid", "gid", "mode", "msg_qbytes"]);
    expect(LAYOUTS.semctl).toMatchObject({ vars: "u16", data: "none" });
    expect(LAYOUTS.semtimedop.fixed.map((s) => s.name))
      .toEqual(["semid", "timed", "sec", "nsec"]);
  });
});

const AGENT = join(root, "host-bridge/build/ipcsim-agent");

interface PrintedCall {
  nr: number;
  name: string;
  fixed: string[];
  limits: string[];
  vars: string;
  data: string;
  sleeps: number[];
  signals_others: boolean;
}

describe("the agent's generated call table", () => {
  it.skipIf(!existsSync(AGENT))("agrees with wasm/calls.ts (ipcsim-agent --print-calls)", () => {
    const printed = execFileSync(AGENT, ["--print-calls"], { encoding: "utf8" })
      .trim().split("\n").map((line) => JSON.parse(line) as PrintedCall);
    const sysnoOf = (name: string) => {
      const call = CALL_NAMES.find((c) => `SYS_${c}` === name && !callSpec(c).host.sysno);
      return call === undefined ? undefined : CALL_TABLE[call].nr;
    };
    expect(printed.map((p) => p.name)).toEqual(CALL_NAMES);
    for (const row of agentTable()) {
      const p = printed.find((x) => x.name === row.name)!;
      expect(p, row.name).toMatchObject({
        nr: row.nr,
        fixed: row.layout.fixed.map((s) => s.role),
        limits: row.layout.fixed.map((s) => s.limit ?? "none"),
        vars: row.layout.vars,
        data: row.layout.data,
        signals_others: row.signalsOthers,
      });
      expect(p.sleeps.length, row.name).toBe(row.sleepsIn.length);
      row.sleepsIn.forEach((name, i) => {
        const nr = sysnoOf(name);
        if (nr !== undefined) expect(p.sleeps[i], `${row.name} sleeps in ${name}`).toBe(nr);
      });
    }
  });

  it("has a handler in calls*.c or time.c for every call that is not plain", () => {
    const source = ["calls.c", "calls_fs.c", "calls_iov.c", "calls_poll.c", "calls_sig.c",
      "calls_net.c", "calls_epoll.c", "time.c"]
      .map((f) => readFileSync(join(root, "host-bridge/agent", f), "utf8")).join("\n");
    const handled = new Set([...source.matchAll(/^CALL_HANDLER\((\w+)\)/gm)].map((m) => m[1]));
    const plain = new Set(agentTable().filter((r) => r.plain).map((r) => r.name));
    expect(CALL_NAMES.filter((c) => !handled.has(c) && !plain.has(c))).toEqual([]);
  });

  it("is the header the build generates from the table (committed up to date)", () => {
    const header = readFileSync(join(root, "host-bridge/agent/calls.gen.h"), "utf8");
    expect(header.split("\n")[0]).toMatch(/GENERATED .* from wasm\/calls\.ts/);
    for (const row of agentTable()) {
      expect(header).toContain(`#define CALL_${row.name} ${row.nr}\n`);
      expect(header).toMatch(new RegExp(`.run = c_(${row.name}|syscall),`));
    }
  });
});

// Issue 13: an fd of 4294967296 reached the agent, which cast it to int (0) and closed its own
// stdin. The parser refuses such values (sim/trace/decode.ts fitC); the command line refuses
// them too, and each slot's C type is one the agent's cast holds.
describe("the command line never truncates (issue 13)", () => {
  /** Bits in each C type as a trace writes it (CType) and as the agent casts to. */
  const CTYPE_BITS: Record<CType, number> = {
    short: 16, "unsigned short": 16, int: 32, "unsigned int": 32, long: 64, size_t: 64,
    "unsigned long": 64,
  };
  const CAST_BITS: Record<string, number> = {
    int: 32, "unsigned int": 32, pid_t: 32, key_t: 32, mode_t: 32, uid_t: 32, gid_t: 32,
    clockid_t: 32, long: 64, int64_t: 64, uint64_t: 64, size_t: 64, msglen_t: 64, time_t: 64,
    suseconds_t: 64, uintptr_t: 64, "unsigned short": 16, short: 16, uint32_t: 32, off_t: 64,
    socklen_t: 32,
  };

  it("casts every fixed integer in a handler to a type as wide as its slot's C type", () => {
    const files = ["calls.c", "calls_fs.c", "calls_iov.c", "calls_sig.c", "calls_net.c",
      "calls_epoll.c", "time.c"];
    const sources = files.map((f) => readFileSync(join(root, "host-bridge/agent", f), "utf8"))
      .join("\n");
    const problems: string[] = [];
    let casts = 0;
    for (const [, call, body] of sources.matchAll(/CALL_HANDLER\((\w+)\) \{([^]*?)\n?\}\n/g)) {
      const layout = LAYOUTS[call as CallName];
      for (const [, type, i] of body.matchAll(/\(([a-z_0-9 ]+)\)\(?A\((\d+)\)/g)) {
        casts++;
        const slot = layout.fixed[Number(i)];
        const bits = CAST_BITS[type];
        if (bits === undefined) problems.push(`${call}: unknown cast (${type})`);
        else if (bits < CTYPE_BITS[slot.c]) {
          problems.push(`${call}.${slot.name}: ${slot.c} in ${type}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(casts).toBeGreaterThan(60);
  });

  it("refuses a value the agent would truncate, fixed or in the variable list", () => {
    const args = (call: CallName, raw: object) => trace([{ pid: 2, call, ...raw }]).steps[0].args;
    const close = args("close", { fd: 3 });
    expect(() => encodeArgs("close", { ...close, fd: 2 ** 32 } as never, noRefs)).toThrow(
      "close's fd: 4294967296 does not fit the agent's int (-2147483648..2147483647); Linux " +
      "would see another number",
    );
    const semop = args("semop", { semid: 0, sops: [{ num: 1, op: 1 }] });
    const sops = [{ num: 1, op: 2 ** 15, flags: 0 }];
    expect(() => encodeArgs("semop", { ...semop, sops } as never, noRefs))
      .toThrow("semop's sops: 32768 does not fit the agent's short");
    expect(encodeArgs("close", close as never, noRefs).ints).toEqual([3]);
  });

  hostIt("a host session refuses close(4294967296) instead of closing the agent's stdin",
    async () => {
      const t = trace([{ pid: 2, call: "close", fd: 3 }, { pid: 2, call: "getppid" }]);
      // Made without the parser (which refuses it first): what a caller of the session could do.
      (t.steps[0].args as { fd: number }).fd = 2 ** 32;
      await expect(runOnHost(t)).rejects.toThrow("close's fd: 4294967296 does not fit");
    });
});
