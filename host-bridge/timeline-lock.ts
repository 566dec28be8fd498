// One paced timeline on the machine at a time (docs/host-bridge.md "Time"). Two replays in
// real time at once take each other's CPU (both run SCHED_FIFO, both drivers at nice -20) and
// overrun their instants' budgets, so the second would only end inconclusive: it waits
// instead. The lock is flock(1) on a file in the temporary directory, held by a helper
// process for as long as its stdin is open: closing it, or the driver dying, releases it
// (the kernel drops an flock with its last descriptor), so an interrupted run leaves no lock
// behind. Traces that never use time take no lock.

import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Releases the lock (idempotent). */
export type Unlock = () => void;

/** The lock this process holds, shared by its sessions (two sessions of one process must
 * not wait for each other), and how many hold it. */
let held: { lock: Promise<Unlock>; users: number } | null = null;

/** Waits for the machine's timeline lock. Without flock(1) the run goes on unlocked. */
export async function lockTimeline(): Promise<Unlock> {
  held ??= { lock: acquire(), users: 0 };
  const mine = held;
  mine.users++;
  const release = await mine.lock;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--mine.users > 0) return;
    if (held === mine) held = null;
    release();
  };
}

function acquire(): Promise<Unlock> {
  const file = join(process.env.TMPDIR || tmpdir(), "ipcsim-timeline.lock");
  const child = spawn("flock", ["-x", file, "sh", "-c", "echo locked; exec cat >/dev/null"], {
    stdio: ["pipe", "pipe", "ignore"],
  });
  const unlock: Unlock = () => {
    child.stdin.end();
    child.unref();
  };
  return new Promise((resolve) => {
    child.once("error", () => resolve(() => {})); // no flock(1): unlocked
    child.once("exit", () => resolve(() => {}));
    child.stdout.once("data", () => resolve(unlock));
  });
}
