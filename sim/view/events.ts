// The event log of a run: one record per step, in the trace's own outcome form (the call,
// its arguments, its result, the events it caused: wakes with the woken call's result, exits,
// signals and handler runs), plus what the kernel did that the trace does not say: the data the
// step moved through kernel objects (the flow log: which object, which way, how many bytes,
// which message) and who was asleep in what once it was done. Every view is a projection of
// it: the strace text of the outcomes, the timeline (spans from results, edges from events and
// moves, counters from moves), Perfetto and Mermaid from the timeline, the HTML view's
// inspectors from the same replay. `--events FILE` writes it as JSON Lines (docs/events.md).

import type { Kernel } from "../../wasm/kernel.js";
import type { Json, JsonObject } from "../trace/serialise.js";
import { headerToJson, outcomeToJson } from "../trace/serialise.js";
import type { Outcome, Trace } from "../trace/types.js";
import { followTrace, type NamedFlow } from "./flows.js";

/** The log's first line. */
const EVENTS_FORMAT = { events: "ipcsim", version: 1 } as const;

/** A move as the log writes it. */
function moveJson(f: NamedFlow): JsonObject {
  const out: JsonObject = { object: f.name, dir: f.dir, bytes: f.len, pid: f.pid, call: f.call };
  // A message's, or a socket buffer's, serial: the same on its `in` and its `out`.
  if (f.object !== "pipe") out.serial = f.at;
  if (f.object === "msg") out.mtype = f.extra;
  if (f.object === "mq") out.priority = f.extra;
  return out;
}

/** The log of `trace` (its steps carrying their outcomes) as JSON Lines: the header, then a
 * record per step the model could follow (a step it refuses ends the log, with `"ends"`). */
export function eventLog(trace: Trace, verdict?: string, kernel?: Kernel): string[] {
  const followed = followTrace(trace, kernel, true);
  const head: JsonObject = { ...EVENTS_FORMAT, ...headerToJson(trace.header) };
  if (verdict !== undefined) head.verdict = verdict;
  const lines = [JSON.stringify(head)];
  for (const step of trace.steps) {
    const state = followed.states[step.index];
    if (state === undefined) {
      lines.push(JSON.stringify({ ends: step.index, why: "the model does not follow the trace " +
        "past this step (a step it refuses, or an outcome it does not allow)" }));
      break;
    }
    const o: Outcome = {
      step: step.index, pid: step.pid, call: step.call, result: step.expect,
      events: step.expectEvents ?? [],
    };
    const rec = outcomeToJson(o, step);
    rec.moves = (followed.flows.get(step.index) ?? []).map(moveJson);
    rec.asleep = state.processes.filter((p) => p.blockedIn !== undefined)
      .map((p) => ({ pid: p.pid, call: p.blockedIn!.call, step: p.blockedIn!.step }) as Json);
    lines.push(JSON.stringify(rec));
  }
  return lines;
}
