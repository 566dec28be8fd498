// Records the signal cases (sig.mjs) on real Linux: writes each trace without expectations to
// a temporary directory, runs `ipcsim record` on it (the host bridge), and writes the result
// to kernel/test/cases/<name>.jsonl. Needs a built CLI and agent (npm run build).
//
//   node kernel/test/cases/gen/sig-record.mjs [name-substring]

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cases } from "./sig.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..");
const cli = join(here, "../../../../dist/cli.js");
const only = process.argv[2] ?? "";
const dir = mkdtempSync(join(tmpdir(), "sig-cases-"));
try {
  for (const c of cases) {
    if (!c.name.includes(only)) continue;
    const lines = [JSON.stringify({ trace: "ipcsim", version: 1, name: c.name, description: c.description })];
    for (const s of c.steps) lines.push(JSON.stringify(s));
    const raw = join(dir, `${c.name}.jsonl`);
    writeFileSync(raw, `${lines.join("\n")}\n`);
    const target = join(out, `${c.name}.jsonl`);
    execFileSync("node", [cli, "record", raw, "-o", target], { stdio: "inherit" });
    console.log(`recorded ${c.name}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
