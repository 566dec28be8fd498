// The differential property: on random well-formed traces (arbitraries.ts), the real kernel's
// outcome of every step is one the model allows. Shared by the CI test (host-diff.test.ts, a
// fixed budget) and `npm run fuzz:diff -- --runs N --seed S` (as many runs as asked).

import { diffText, diffTrace } from "../host-bridge/diff.js";
import { retryInconclusive, type HostInconclusive } from "../host-bridge/host.js";
import type { GeneratedTrace } from "./arbitraries.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { failureDir } from "./support.js";

/** Throws, with the saved trace and the command that replays it, when model and Linux
 * disagree on any step (a listed known difference included: the generator must not make
 * steps the model is known to get wrong). A run the host could not pace (no verdict) is tried
 * again, then counts as a failure; `onRetry` hears of each retry (fuzz-diff.ts counts them). */
export async function modelAllowsWhatLinuxDoes(g: GeneratedTrace,
  onRetry?: (e: HostInconclusive) => void): Promise<void> {
  const r = await retryInconclusive(() => diffTrace(g.trace, { file: "<generated>" }), 5,
    onRetry);
  if (!r.disagreement) return;
  mkdirSync(failureDir(), { recursive: true });
  const file = join(failureDir(), `host-diff.${process.pid}.jsonl`);
  writeFileSync(file, g.jsonl());
  const report = diffText(g.trace, r, `ipcsim diff ${file}`).join("\n");
  throw new Error(`model and Linux disagree (trace saved to ${file}):\n${report}`);
}
