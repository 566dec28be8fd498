import { test } from "@fast-check/vitest";
import { traceArb } from "./arbitraries.js";
import { diffTrace, diffText } from "../host-bridge/diff.js";
import { withTrace } from "./support.js";

const runs = Number(process.env.RUNS ?? 100);
const weights = process.env.WEIGHTS ? JSON.parse(process.env.WEIGHTS) : undefined;
const arb = traceArb({ stepsMax: Number(process.env.STEPS ?? 40), weights });
const seed = process.env.SEED ? Number(process.env.SEED) : undefined;
test.prop([arb], { numRuns: runs, seed })("model allows what Linux does", async (g) => {
  const r = await diffTrace(g.trace, { file: "gen" });
  withTrace("hostdiff", g, () => {
    if (r.disagreement && !r.disagreement.known) throw new Error(diffText(g.trace, r, "x").join("\n"));
  });
});
