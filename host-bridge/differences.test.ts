// host-bridge/differences.ts (what `diff` recognises) and docs/differences.md (the readable
// table) must name the same differences: a difference documented but unknown to `diff`, or
// recognised by `diff` but undocumented, fails here.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { DIFFERENCES } from "./differences.js";

const DOC = "docs/differences.md";

/** The ids in the first column of the table: rows that start with "| `id` |". */
function documentedIds(): string[] {
  const text = readFileSync(new URL(`../${DOC}`, import.meta.url), "utf8");
  return [...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
}

describe("known differences", () => {
  const code = DIFFERENCES.map((d) => d.id);
  const doc = documentedIds();

  test("each id is listed once in differences.ts and once in docs/differences.md", () => {
    expect(code.filter((id, i) => code.indexOf(id) !== i)).toEqual([]);
    expect(doc.filter((id, i) => doc.indexOf(id) !== i)).toEqual([]);
    expect(doc.length).toBeGreaterThan(0);
  });

  test("host-bridge/differences.ts and docs/differences.md list the same ids", () => {
    const onlyCode = code.filter((id) => !doc.includes(id));
    const onlyDoc = doc.filter((id) => !code.includes(id));
    expect({ "only in host-bridge/differences.ts": onlyCode, [`only in ${DOC}`]: onlyDoc })
      .toEqual({ "only in host-bridge/differences.ts": [], [`only in ${DOC}`]: [] });
  });
});
