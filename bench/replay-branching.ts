// Replay memory and time against branching depth and kernel size (issue 22): a herd of N FIFO
// openers released by one writer's open (N! retry orders, at most 64 explored per branch
// point), after pid 2 touched S MiB of shared memory. Each replay runs in a process of its own
// (sim/model/testdata/replay-peak.ts), which reports its wall time and peak resident memory.
//
// Baseline, in the same run: the same trace stopped before the writer's open (no branching),
// in the same kind of process. The ratio is its time / the herd's; the note gives the peak and
// the memory the branching added over the baseline's peak.
// And the 243-line trace of 23 herds of four (sim/model/testdata/fifo-herds.jsonl). Goals: the
// 5-opener herd under 150 MB, with 256 MiB of shm under 400 MB, the 243 lines under 2 s.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compare, rowFromTimes, withGoal, type BenchOptions, type Row } from "./harness.js";

interface Peak { steps: number; worlds: number; ms: number; peakMb: number; rootMb: number }

/** The project (benchmarks run from its top directory, as `npm run bench`). */
const ROOT = process.cwd();
const SHM_MIB = [0, 64, 256];
const OPENERS = [2, 3, 4, 5];

/** The herd trace: S MiB of shm touched in 16 MiB stores, N openers, one writer (pid 2). */
function herdTrace(openers: number, shmMib: number): string {
  const lines = ['{"trace": "ipcsim", "version": 1, "params": ' +
    '{"kernel.shmmax": 268435456, "kernel.shmall": 65536}}'];
  if (shmMib > 0) {
    lines.push(`{"pid": 2, "call": "shmget", "key": 0, "size": ${shmMib << 20}, "mode": "0600"}`);
    lines.push('{"pid": 2, "call": "shmat", "shmid": 0, "shmaddr": 0}');
    for (let off = 0; off < shmMib << 20; off += 16 << 20) {
      lines.push(`{"pid": 2, "call": "store", "addr": {"ref": 1, "offset": ${off}}, ` +
        `"data": {"fill": "x", "count": ${Math.min(16 << 20, (shmMib << 20) - off)}}}`);
    }
  }
  lines.push('{"pid": 2, "call": "mkfifo", "path": "chan", "mode": "0600"}');
  for (let i = 0; i < openers; i++) lines.push('{"pid": 2, "call": "fork"}');
  for (let i = 0; i < openers; i++) {
    lines.push(`{"pid": ${3 + i}, "call": "open", "path": "chan", "flags": ["O_RDONLY"]}`);
  }
  lines.push('{"pid": 2, "call": "open", "path": "chan", "flags": ["O_WRONLY"]}');
  return lines.join("\n") + "\n";
}

function replayPeak(file: string, steps?: number): Peak {
  const out = execFileSync(process.execPath, ["scripts/run-ts.mjs",
    "sim/model/testdata/replay-peak.ts", file, ...(steps === undefined ? [] : [String(steps)])],
  { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(out) as Peak;
}

function row(what: string, kase: string, p: Peak): Row {
  return rowFromTimes({ bench: "branching", case: kase, what, unit: "replays" }, 1, [p.ms / 1000]);
}

export function branchingBench(opts: BenchOptions): Row[] {
  const dir = mkdtempSync(join(tmpdir(), "ipcsim-branching-"));
  const rows: Row[] = [];
  try {
    for (const shm of SHM_MIB) {
      if (opts.scale < 1 && shm > 64) continue;
      for (const n of OPENERS) {
        const file = join(dir, `herd-${n}-${shm}.jsonl`);
        const text = herdTrace(n, shm);
        writeFileSync(file, text);
        const steps = text.trim().split("\n").length - 1;
        const kase = `${n} openers, ${shm} MiB shm`;
        const before = replayPeak(file, steps - 1);
        const base = row("baseline: the same trace up to the release", kase, before);
        const peak = replayPeak(file);
        opts.log(`branching: ${kase}: ${peak.ms.toFixed(0)} ms, peak ${peak.peakMb.toFixed(0)} MB`);
        let herd = compare(row("replay with the herd's release", kase, peak), base);
        const extra = peak.peakMb - before.peakMb;
        const goal = n !== 5 ? "" : shm === 0 ? "; goal < 150 MB" : shm === 256 ? "; goal < 400 MB"
          : "";
        herd = { ...herd, note: `peak ${peak.peakMb.toFixed(0)} MB (+${extra.toFixed(0)} MB ` +
          `over the baseline's), root ${peak.rootMb.toFixed(1)} MiB${goal}` };
        rows.push(base, herd);
      }
    }
    const herds = replayPeak(join(ROOT, "sim/model/testdata/fifo-herds.jsonl"));
    rows.push(withGoal({
      ...row("replay fifo-herds.jsonl (243 lines, 23 herds of 4)", "243 lines", herds),
      note: `peak ${herds.peakMb.toFixed(0)} MB, ${herds.worlds} world(s) at most, root ` +
        `${herds.rootMb.toFixed(1)} MiB; goal: < 2 s`,
    }, 0.5));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
