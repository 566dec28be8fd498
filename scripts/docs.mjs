// `npm run docs`: rewrite the generated parts of the docs from the call table: the call table
// in docs/trace-format.md and the JSON Schema docs/trace.schema.json.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importTs } from "./load-ts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { withCallTable } = await importTs(join(root, "sim/trace/calls-doc.ts"));
const { traceSchemaText } = await importTs(join(root, "sim/trace/schema.ts"));

/** Write `file` (relative to the root) as `rewrite` makes it from its current text. */
function update(file, rewrite) {
  const path = join(root, file);
  let before = "";
  try {
    before = readFileSync(path, "utf8");
  } catch {
    // a generated file not written yet
  }
  const after = rewrite(before);
  if (after !== before) writeFileSync(path, after);
  console.log(after === before ? `${file} is current` : `${file} rewritten`);
}

update("docs/trace-format.md", withCallTable);
update("docs/trace.schema.json", () => traceSchemaText());
