// Records the cases whose expectations come from Linux itself (sig.mjs, sigio.mjs, shm.mjs,
// mmap.mjs, time.mjs, open.mjs, fcntl.mjs, locks.mjs, sysv-audit.mjs, audit.mjs):
// writes each trace without expectations to a temporary directory, runs `ipcsim record` on it
// (the host bridge replays it on this machine's kernel and writes every outcome back as the
// step's expectation), and writes the result to kernel/test/cases/<name>.jsonl. Needs a built
// CLI and agent (npm run build) and a Linux host.
//
//   node kernel/test/cases/gen/record.mjs [--out DIR] [name-substring]
//
// --out writes elsewhere (to compare with the committed files: diff -r). Only the named areas'
// files are written; none is deleted.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { cases as audit } from "./audit.mjs";
import { cases as fcntl } from "./fcntl.mjs";
import { cases as locks } from "./locks.mjs";
import { cases as mmap } from "./mmap.mjs";
import { cases as open } from "./open.mjs";
import { cases as shm } from "./shm.mjs";
import { cases as sig } from "./sig.mjs";
import { cases as sysv } from "./sysv-audit.mjs";
import { cases as sigio } from "./sigio.mjs";
import { cases as time } from "./time.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, "../../../../dist/cli.js");
const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? args.splice(outAt, 2)[1] : join(here, "..");
const only = args[0] ?? "";
const dir = mkdtempSync(join(tmpdir(), "record-cases-"));
let count = 0;
try {
  const all = [...sig, ...sigio, ...shm, ...mmap, ...time, ...sysv, ...audit, ...open, ...fcntl,
    ...locks];
  for (const c of all) {
    if (!c.name.includes(only)) continue;
    const header = { trace: "ipcsim", version: 1, name: c.name, description: c.description };
    if (c.params !== undefined) header.params = c.params;
    if (c.realtime !== undefined) header.realtime = c.realtime;
    const lines = [header, ...c.steps].map((x) => JSON.stringify(x));
    const raw = join(dir, `${c.name}.jsonl`);
    writeFileSync(raw, `${lines.join("\n")}\n`);
    const recorded = join(out, `${c.name}.jsonl`);
    execFileSync("node", [cli, "record", raw, "-o", recorded], { stdio: "inherit" });
    count++;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${count} cases recorded to ${out}`);
