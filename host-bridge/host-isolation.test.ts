// "The host is never touched" (issue 22, docs/reliability.md): the fallback without namespaces
// operates only on the run's own IPC objects and is off unless asked for; the driver lets the
// agent finish its cleanup; traced processes run with no_new_privs and a seccomp filter; store
// and load touch only the memory the trace mapped. Each test fails on the code before the fix.

import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync }
  from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect } from "vitest";
import { HostSession, hostSupport, runOnHost } from "./host.js";
import { hostIt, killed, ok, skipReason, trace } from "./testing.js";

const UNSAFE = { unsafeNoNamespaces: true, onStderr: () => {} };
/** A SysV key of this test process (distinct from other runs on the machine). */
const key = (n: number) => 0x1c5d0000 + ((process.pid & 0xfff) << 4) + n;

/** The host's message queues (initial IPC namespace): [key, id, qnum] each. */
function hostQueues(): number[][] {
  return readFileSync("/proc/sysvipc/msg", "utf8").split("\n").slice(1)
    .filter((line) => line.trim()).map((line) => line.trim().split(/\s+/).map(Number))
    .map((f) => [f[0], f[1], f[4]]);
}

/** The host queue with key `k`: [id, qnum], or undefined. */
function hostQueue(k: number): [number, number] | undefined {
  const q = hostQueues().find((f) => f[0] === k);
  return q && [q[1], q[2]];
}

/** A message queue of the host's own (util-linux ipcmk, a random key): [id, key]. */
function hostMsgget(): [number, number] {
  const out = execFileSync("ipcmk", ["-Q", "-p", "0600"], { encoding: "utf8" });
  const id = Number(/(\d+)\s*$/.exec(out.trim())?.[1]);
  return [id, hostQueues().find((f) => f[1] === id)?.[0] ?? 0];
}

/** Host pids of a session's processes (its cwd is the work directory), by namespace pid. */
function sessionPids(workdir: string): Map<number, number> {
  const pids = new Map<number, number>();
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`) !== workdir) continue;
      const nspid = /NSpid:\s+([\d\s]+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      pids.set(Number(nspid?.[1].trim().split(/\s+/).pop()), Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe(`host bridge, fallback without namespaces: only the run's own IPC objects${skipReason}`,
  () => {
    hostIt("never opens, writes or removes a host queue made after the run started", async () => {
      for (const flags of [["IPC_CREAT"], []]) {
        const session = await HostSession.start(trace([]).header, UNSAFE);
        const [hostId, k] = hostMsgget(); // the host's queue, made after the agent's start
        try {
          const t = trace([
            { pid: 2, call: "msgget", key: k, flags, mode: "0600" },
            { pid: 2, call: "msgsnd", msqid: 0, mtype: 1, data: "x" },
          ]);
          await expect(session.step(t.steps[0])).rejects.toThrow(/names an IPC object of the host/);
          await session.close();
          expect(hostQueue(k)).toEqual([hostId, 0]);
        } finally {
          await session.close();
          execFileSync("ipcrm", ["-q", String(hostId)]);
        }
      }
    });

    hostIt("refuses a ctl command that reads the host's whole table (MSG_STAT)", async () => {
      const t = trace([{ pid: 2, call: "msgctl", msqid: 0, cmd: "MSG_STAT" }]);
      await expect(runOnHost(t, UNSAFE)).rejects.toThrow(/reads the host's whole IPC table/);
    });

    hostIt("removes its queue on a host fault: the driver waits for the agent's cleanup",
      async () => {
        for (let i = 0; i < 5; i++) {
          const k = key(8 + i);
          const t = trace([
            { pid: 2, call: "msgget", key: k, flags: ["IPC_CREAT"], mode: "0600", ...ok(0) },
            { pid: 2, call: "kill", target: -1, sig: 0 }, // a host fault without a PID namespace
          ]);
          await expect(runOnHost(t, UNSAFE)).rejects.toThrow(/would reach host processes/);
          expect(hostQueue(k)).toBeUndefined();
        }
      });
  });

describe(`host bridge: the fallback only when asked for by name${skipReason}`, () => {
  hostIt("refuses the old IPCSIM_NO_NAMESPACES, naming the risk and the new flag", async () => {
    process.env.IPCSIM_NO_NAMESPACES = "1";
    try {
      await expect(HostSession.start(trace([]).header, { onStderr: () => {} }))
        .rejects.toThrow(/IPCSIM_NO_NAMESPACES is no longer read: .*--unsafe-no-namespaces/);
    } finally {
      delete process.env.IPCSIM_NO_NAMESPACES;
    }
  });

  hostIt("gives one clear error where unshare is refused (run as nobody)", async () => {
    const support = hostSupport();
    if (!support.ok || process.getuid?.() !== 0) return; // setpriv to nobody needs root
    const dir = mkdtempSync(join(tmpdir(), "ipcsim-test-"));
    try {
      const wrapper = join(dir, "agent-as-nobody");
      writeFileSync(wrapper, "#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 " +
        `--clear-groups ${support.agent} "$@"\n`);
      chmodSync(dir, 0o755);
      chmodSync(wrapper, 0o755);
      await expect(HostSession.start(trace([]).header, { agent: wrapper, onStderr: () => {} }))
        .rejects.toThrow(/cannot create the namespaces .*Operation not permitted.*--unsafe-no-/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`host bridge: traced processes are confined${skipReason}`, () => {
  hostIt("run with no_new_privs and a seccomp filter, inherited by a fork", async () => {
    const session = await HostSession.start(trace([]).header);
    try {
      await session.step(trace([{ pid: 2, call: "fork", ...ok(3) }]).steps[0]);
      const pids = sessionPids(session.workdir);
      for (const nspid of [2, 3]) {
        const status = readFileSync(`/proc/${pids.get(nspid)}/status`, "utf8");
        expect(status).toMatch(/NoNewPrivs:\s+1/);
        expect(status).toMatch(/Seccomp:\s+2/);
      }
    } finally {
      await session.close();
    }
  });

  hostIt("gets EPERM for a syscall outside the allowlist (unshare, ptrace, mount)", async () => {
    const session = await HostSession.start(trace([]).header, { testCalls: true });
    try {
      const SYS = { unshare: 272, ptrace: 101, mount: 165 };
      const CLONE_NEWNET = 0x40000000;
      for (const [i, [nr, args]] of [[SYS.unshare, [CLONE_NEWNET]], [SYS.ptrace, [0]],
        [SYS.mount, [0, 0, 0]]].entries()) {
        const reply = await session.testRawSyscall(i, 2, nr as number, args as number[]);
        expect(reply.result).toEqual({ ret: -1, errno: 1 });
      }
      const getppid = await session.testRawSyscall(3, 2, 110);
      expect(getppid.result).toEqual({ ret: 1 }); // an allowed call runs
    } finally {
      await session.close();
    }
  });

  hostIt("can reach no address but loopback: a network namespace of its own, lo up", async () => {
    const session = await HostSession.start(trace([]).header);
    try {
      const pid = sessionPids(session.workdir).get(2);
      const own = readlinkSync(`/proc/${pid}/ns/net`);
      expect(own).not.toBe(readlinkSync("/proc/self/ns/net"));
      // Its interfaces: lo only. Its routes: none (lo's are in the local table, which
      // /proc/net/route does not list), so no packet can leave the namespace.
      const devs = readFileSync(`/proc/${pid}/net/dev`, "utf8").split("\n").slice(2)
        .map((line) => line.split(":")[0].trim()).filter((name) => name !== "");
      expect(devs).toEqual(["lo"]);
      const routes = readFileSync(`/proc/${pid}/net/route`, "utf8").trim().split("\n").slice(1);
      expect(routes).toEqual([]);
      // lo is up: its address is in the local table.
      expect(readFileSync(`/proc/${pid}/net/fib_trie`, "utf8")).toContain("127.0.0.1");
    } finally {
      await session.close();
    }
  });
});

describe(`host bridge: store and load touch only what the trace mapped${skipReason}`, () => {
  const MMAP = { pid: 2, call: "mmap", length: 4096, prot: ["PROT_READ", "PROT_WRITE"],
    flags: ["MAP_PRIVATE", "MAP_ANONYMOUS"] };

  /** Runs `more(page, host)` after step 0, a one-page mmap: `page` is its address and `host`
   * the agent binary's in the traced process pid 2 (host memory: it starts with the ELF magic).
   * Returns the outcomes of the steps after the mmap. */
  async function afterMmap(more: (page: number, host: number) => object[]) {
    const session = await HostSession.start(trace([]).header);
    try {
      await session.step(trace([MMAP]).steps[0]);
      // The raw address (outcomes name addresses, not their values).
      const page = (session as unknown as { rets: Map<number, number> }).rets.get(0) ?? 0;
      const pid = sessionPids(session.workdir).get(2);
      const maps = readFileSync(`/proc/${pid}/maps`, "utf8").split("\n");
      const binary = maps.find((l) => l.endsWith("/ipcsim-agent")) ?? "";
      const host = parseInt(binary.split("-")[0], 16);
      expect(host).toBeGreaterThan(0);
      const outcomes = [];
      for (const s of trace([MMAP, ...more(page, host)]).steps.slice(1)) {
        outcomes.push(await session.step(s));
      }
      return outcomes;
    } finally {
      await session.close();
    }
  }

  hostIt("refuses a load at an integer address outside the trace's mappings", async () => {
    await expect(afterMmap((_, host) => [{ pid: 2, call: "load", addr: host, count: 4 }]))
      .rejects.toThrow(/load at integer address 0x[0-9a-f]+ is outside every mapping/);
  });

  hostIt("refuses a store at an integer address outside the trace's mappings", async () => {
    await expect(afterMmap((_, host) => [{ pid: 2, call: "store", addr: host, data: "x" }]))
      .rejects.toThrow(/store at integer address 0x[0-9a-f]+ is outside every mapping/);
  });

  hostIt("gives SIGSEGV, not host bytes, for a ref past the mapping onto host memory",
    async () => {
      const outcomes = await afterMmap((page, host) => [
        { pid: 2, call: "fork", ...ok(3) },
        { pid: 3, call: "load", addr: { ref: 0, offset: host - page }, count: 4 },
        { pid: 2, call: "store", addr: { ref: 0, offset: 16 }, data: "ok" },
        { pid: 2, call: "load", addr: { ref: 0, offset: 16 }, count: 2 },
      ]);
      expect(outcomes[1].result).toBeUndefined();
      expect(outcomes[1].events).toEqual([killed(3, "SIGSEGV")]);
      expect(outcomes[3].result).toMatchObject({ ret: 2 });
    });
});
