import { test } from "vitest";
import { readTraceFile } from "../sim/trace/parse.js";
import { diffTrace, diffText } from "../host-bridge/diff.js";
test("one", async () => {
  for (const f of (process.env.FILES ?? "").split(",")) {
    const t = readTraceFile(f);
    console.log(diffText(t, await diffTrace(t, { file: f }), f).join("\n").slice(0, 3000));
  }
});
