// Host steps per second, with quiescence detection, on long simple traces:
//   node scripts/run-ts.mjs bench/host-steps.ts [steps]
// 1. one process writes and reads its own pipe (no process to watch in /proc);
// 2. pid 2 writes, pid 3 reads (two control sockets);
// 3. as 2, with a third process blocked in msgrcv all along (every step reads /proc twice).
// The goal is at least 1,000 steps/s.

import { parseTrace } from "../sim/trace/parse.js";
import type { Trace } from "../sim/trace/types.js";
import { HostSession, hostSupport } from "../host-bridge/host.js";

function pipeTrace(steps: number, reader: number, blocked: boolean): Trace {
  const lines = [
    '{"trace": "ipcsim", "version": 1, "name": "bench"}',
    '{"pid": 2, "call": "pipe"}',
  ];
  if (reader !== 2 || blocked) lines.push('{"pid": 2, "call": "fork"}');
  if (blocked) {
    lines.push('{"pid": 2, "call": "msgget", "key": "IPC_PRIVATE"}', '{"pid": 2, "call": "fork"}');
    lines.push('{"pid": 4, "call": "msgrcv", "msqid": 0, "size": 16}');
  }
  for (let i = 0; lines.length - 1 < steps; i++) {
    lines.push(i % 2 === 0 ? '{"pid": 2, "call": "write", "fd": 4, "data": "ping"}'
      : `{"pid": ${reader}, "call": "read", "fd": 3, "count": 16}`);
  }
  return parseTrace(lines.join("\n"), "<bench>");
}

async function measure(name: string, trace: Trace): Promise<number> {
  const host = await HostSession.start(trace.header);
  try {
    const t0 = process.hrtime.bigint();
    for (const step of trace.steps) await host.step(step);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const rate = trace.steps.length / seconds;
    console.log(`${name.padEnd(52)} ${trace.steps.length} steps in ${seconds.toFixed(2)} s: ` +
      `${Math.round(rate)} steps/s`);
    return rate;
  } finally {
    await host.close();
  }
}

export async function main(args: string[]): Promise<number> {
  const support = hostSupport();
  if (!support.ok) {
    console.error(`host bench skipped: ${support.reason}`);
    return 0;
  }
  const steps = Number(args[0] ?? 10_000);
  const rates = [
    await measure("one process, write/read on its pipe", pipeTrace(steps, 2, false)),
    await measure("pid 2 writes, pid 3 reads", pipeTrace(steps, 3, false)),
    await measure("pid 2 writes, pid 3 reads, pid 4 blocked", pipeTrace(steps, 3, true)),
  ];
  const slowest = Math.min(...rates);
  console.log(slowest >= 1000 ? "goal met (>= 1000 steps/s)" : "GOAL MISSED (< 1000 steps/s)");
  return slowest >= 1000 ? 0 : 1;
}
