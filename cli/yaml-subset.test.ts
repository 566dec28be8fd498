// The YAML subset reader of the distributed examples' tests: what it reads, and that it
// refuses what it does not (a test must not misread a manifest silently).

import { describe, expect, it } from "vitest";
import { parseYamlDocuments, YamlSubsetError } from "./yaml-subset.js";

describe("parseYamlDocuments", () => {
  it("reads mappings, sequences, literal blocks, flow sequences and scalars", () => {
    const text = [
      "# a comment", "a: 1 # trailing", "b:", "  - x", "  - k: 'it''s'", "    l: [1, \"2, 3\"]",
      "c:", "- |", "  line one", "    two # kept", "", "  three", "d: |-", "  no newline",
      "e: true", "f: ~", "g:", "---", "h: \"q\\tq\"",
    ].join("\n");
    expect(parseYamlDocuments(text)).toEqual([
      {
        a: 1, b: ["x", { k: "it's", l: [1, "2, 3"] }],
        c: ["line one\n  two # kept\n\nthree\n"], d: "no newline", e: true, f: null, g: null,
      },
      { h: "q\tq" },
    ]);
  });

  it("refuses what is outside the subset, naming the line", () => {
    for (const [text, line] of [
      ["a: &x 1", 1], ["a: {b: 1}", 1], ["a: >", 1], ["a: b\n  c", 2], ["a: 1\na: 2", 2],
      ["a:\n\t- 1", 2], ["a: [1,\n  2]", 1], ["- a\nb: 1", 2],
    ] as const) {
      expect(() => parseYamlDocuments(text), text).toThrow(YamlSubsetError);
      expect(() => parseYamlDocuments(text), text).toThrow(`line ${line}:`);
    }
  });
});
