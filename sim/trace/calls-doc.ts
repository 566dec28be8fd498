// docs/trace-format.md's table of calls, rendered from the call table (wasm/calls.ts). The
// docs hold it between two markers; `npm run docs` rewrites it there, and calls.test.ts fails
// when the docs and the table differ.

import { CALL_NAMES, callSpec, type ArgSpec } from "../../wasm/calls.js";

const CALLS_BEGIN = "<!-- calls: generated from wasm/calls.ts by `npm run docs` -->";
const CALLS_END = "<!-- calls: end -->";

/** The default a trace gets for a field it leaves out, as the docs write it; undefined when
 * the field is required. */
function defaultText(a: ArgSpec): string | undefined {
  if (a.kind === "flags") return a.needed ? undefined : "`[]`";
  if (a.kind === "sigset") return "`[]`";
  if (a.default === undefined) return undefined;
  if (a.default === null) return "null";
  if (a.kind === "mode") return `\`"0${a.default.toString(8)}"\``;
  if (a.kind === "addr" && a.default === 0) return "NULL";
  return String(a.default);
}

function fieldText(a: ArgSpec): string {
  const d = defaultText(a);
  return d === undefined ? `**\`${a.name}\`**` : `\`${a.name}\` (${d})`;
}

/** The markdown table, one row per call in table order. */
export function callTableMarkdown(): string {
  const rows = CALL_NAMES.map((call) => {
    const spec = callSpec(call);
    const name = `\`${call}\`${spec.ext ? " **ext**" : ""}`;
    const fields = spec.args.map(fieldText).join(", ");
    return `| ${name} | ${fields} | ${spec.doc} |`.replace(/ {2,}\|/g, " |");
  });
  return ["| call | fields (default) | notes |", "| --- | --- | --- |", ...rows].join("\n");
}

/** The docs text with the table between the markers replaced by the current one. */
export function withCallTable(docs: string): string {
  const begin = docs.indexOf(CALLS_BEGIN);
  const end = docs.indexOf(CALLS_END);
  if (begin < 0 || end < begin) throw new Error("docs/trace-format.md: call table markers missing");
  return docs.slice(0, begin + CALLS_BEGIN.length) + "\n" + callTableMarkdown() + "\n" +
    docs.slice(end);
}
