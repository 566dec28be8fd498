// Model == host on random traces: fast-check generates well-formed traces over every call the
// kernel implements (processes, pipes, FIFOs, descriptors, SysV IPC: see call-table.ts) and
// each one runs on the model and on real Linux step by step. CI runs a fixed budget; more with
// `npm run fuzz:diff -- --runs N --seed S`. Skipped, with the reason, without the host bridge.

import { test } from "@fast-check/vitest";
import { describe } from "vitest";
import { hostSupport } from "../host-bridge/host.js";
import { traceArb } from "./arbitraries.js";
import { modelAllowsWhatLinuxDoes } from "./host-diff.js";
import { params } from "./support.js";

const support = hostSupport();
const reason = support.ok ? "" : ` (skipped: ${support.reason})`;

describe.skipIf(!support.ok)(`differential: model against real Linux${reason}`, () => {
  test.prop([traceArb()], params(200))(
    "on random traces, Linux's outcome of every step is one the model allows",
    modelAllowsWhatLinuxDoes,
    // Advances pass in real time on Linux (a tenth of the default draws is virtual time):
    // 200 traces take about a minute alone, more beside the other test files (one CI run
    // beside the CLI tests that spawn worker threads took over 300 s for a seed that takes
    // 55 s alone).
    900_000,
  );
});
