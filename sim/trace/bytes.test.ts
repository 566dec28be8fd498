import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, test } from "vitest";
import {
  BYTES_MAX, BytesError, bytesEqual, bytesFromJson, bytesToJson, FILL_COUNT_MIN, printableText,
  utf8Bytes,
} from "./bytes.js";

const bytes = (...b: number[]) => new Uint8Array(b);

function errorOf(value: unknown): BytesError {
  try {
    bytesFromJson(value);
  } catch (e) {
    if (e instanceof BytesError) return e;
    throw e;
  }
  throw new Error("expected a BytesError");
}

describe("decoding", () => {
  test("a string is its UTF-8 bytes", () => {
    expect(bytesFromJson("hé")).toEqual(bytes(0x68, 0xc3, 0xa9));
    expect(bytesFromJson("")).toEqual(bytes());
  });

  test("hex, either case", () => {
    expect(bytesFromJson({ hex: "00fFA0" })).toEqual(bytes(0, 255, 160));
    expect(bytesFromJson({ hex: "" })).toEqual(bytes());
  });

  test("fill: a one-byte string or a byte value", () => {
    expect(bytesFromJson({ fill: "x", count: 3 })).toEqual(bytes(120, 120, 120));
    expect(bytesFromJson({ fill: 255, count: 2 })).toEqual(bytes(255, 255));
    expect(bytesFromJson({ fill: "\u0000", count: 1 })).toEqual(bytes(0));
    expect(bytesFromJson({ count: 0, fill: "a" })).toEqual(bytes());
  });

  test.each([
    [5, "", 'a string, {"hex": "..."} or {"fill": "x", "count": N}'],
    [null, "", 'a string, {"hex": "..."} or {"fill": "x", "count": N}'],
    [{ hex: "0", extra: 1 }, "", 'a string, {"hex": "..."} or {"fill": "x", "count": N}'],
    [{ hex: "abc" }, ".hex", "an even number of hex digits"],
    [{ hex: "zz" }, ".hex", "an even number of hex digits"],
    [{ fill: "é", count: 1 }, ".fill", "a one-character ASCII string or a byte value 0..255"],
    [{ fill: 256, count: 1 }, ".fill", "a one-character ASCII string or a byte value 0..255"],
    [{ fill: "x", count: -1 }, ".count", "a non-negative integer"],
    [{ fill: "x", count: BYTES_MAX + 1 }, ".count", `at most ${BYTES_MAX}`],
  ])("%j is refused", (value, path, expected) => {
    const e = errorOf(value);
    expect([e.path, e.expected, e.value]).toEqual([
      path, expected, path ? (value as Record<string, unknown>)[path.slice(1)] : value,
    ]);
  });
});

describe("encoding picks the most readable form", () => {
  test.each([
    ["printable text", utf8Bytes("hello, wörld"), "hello, wörld"],
    ["tab and newline are readable in JSON", utf8Bytes("a\tb\n"), "a\tb\n"],
    ["nothing", bytes(), ""],
    ["a short run stays text", utf8Bytes("x".repeat(FILL_COUNT_MIN - 1)), "x".repeat(15)],
    ["a long run of a printable byte", utf8Bytes("x".repeat(FILL_COUNT_MIN)),
      { fill: "x", count: 16 }],
    ["a long run of NUL", new Uint8Array(65536), { fill: 0, count: 65536 }],
    ["a long run of 0xff", new Uint8Array(20).fill(255), { fill: 255, count: 20 }],
    ["binary", bytes(0, 1, 0xff), { hex: "0001ff" }],
    ["carriage return", utf8Bytes("a\r\n"), { hex: "610d0a" }],
    ["invalid UTF-8", bytes(0x68, 0xc3), { hex: "68c3" }],
    ["a byte-order mark is kept, as hex", bytes(0xef, 0xbb, 0xbf, 0x61), { hex: "efbbbf61" }],
    ["DEL", bytes(0x7f), { hex: "7f" }],
    ["a C1 control", utf8Bytes("\u0085"), { hex: "c285" }],
    ["a line separator", utf8Bytes("\u2028"), { hex: "e280a8" }],
  ])("%s", (_, input, json) => {
    expect(bytesToJson(input)).toEqual(json);
  });

  test("printableText agrees", () => {
    expect(printableText(utf8Bytes("ok"))).toBe("ok");
    expect(printableText(bytes(0))).toBeUndefined();
  });
});

describe("round trips", () => {
  const anyBytes = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.string({ unit: "grapheme", maxLength: 32 }).map(utf8Bytes),
    fc.string({ unit: "binary", maxLength: 32 }).map(utf8Bytes),
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 40 }))
      .map(([b, n]) => new Uint8Array(n).fill(b)),
  );

  prop.prop([anyBytes])("decoding the encoding of any bytes gives the same bytes", (b) => {
    const json = JSON.parse(JSON.stringify(bytesToJson(b)));
    expect(bytesEqual(bytesFromJson(json), b)).toBe(true);
  });

  prop.prop([fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 15 })])(
    "printable ASCII shorter than a fill run is written as itself",
    (s) => {
      fc.pre(!/[\x00-\x08\x0b-\x1f\x7f]/.test(s));
      expect(bytesToJson(utf8Bytes(s))).toBe(s);
    },
  );
});

test("bytesEqual compares lengths and contents", () => {
  expect(bytesEqual(bytes(1, 2), bytes(1, 2))).toBe(true);
  expect(bytesEqual(bytes(1, 2), bytes(1, 3))).toBe(false);
  expect(bytesEqual(bytes(1), bytes(1, 0))).toBe(false);
});
