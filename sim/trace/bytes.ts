// Byte strings in a trace (`data` arguments and outputs) in their three JSON forms:
//
//   "hello"                      the UTF-8 bytes of the string
//   {"hex": "00ff"}              any bytes, two hex digits each
//   {"fill": "x", "count": 16}   one byte repeated; `fill` is a one-byte (ASCII) string or a
//                                byte value 0..255 (ours: a string cannot name bytes >= 0x80)
//
// Writing picks the most readable form: fill for a long run of one byte, a string for printable
// text, hex for everything else. Decoding then re-encoding gives the same bytes (bytes.test.ts).

/** Bytes in one `data` field, at most: 16 × Linux's default fs.pipe-max-size (1 MiB). */
export const BYTES_MAX = 16 << 20;
/** A run of one byte at least this long is written as {"fill", "count"}. */
export const FILL_COUNT_MIN = 16;

type BytesJson = string | { hex: string } | { fill: string | number; count: number };

/** A bad byte form: `path` is relative to the field ("" or ".hex"), for the caller's message. */
export class BytesError extends Error {
  override name = "BytesError";
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly value: unknown,
  ) {
    super(`${path ? `${path}: ` : ""}expected ${expected}, got ${JSON.stringify(value)}`);
  }
}

const FORMS = 'a string, {"hex": "..."} or {"fill": "x", "count": N}';
const encoder = new TextEncoder();
// fatal: invalid UTF-8 is not text; ignoreBOM: a leading EF BB BF is data, keep it.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A string's UTF-8 bytes. Short ASCII strings (most call arguments) skip TextEncoder's
 * fixed cost, which dominates for a few bytes. */
export function utf8Bytes(text: string): Uint8Array {
  if (text.length > 64) return encoder.encode(text);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(text);
    out[i] = c;
  }
  return out;
}

/** Decode one of the three forms; throws BytesError. */
export function bytesFromJson(value: unknown): Uint8Array {
  if (typeof value === "string") return limited(utf8Bytes(value), "", value);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new BytesError("", FORMS, value);
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort().join(",");
  if (keys === "hex") return hexBytes(o.hex);
  if (keys === "count,fill") return fillBytes(o.fill, o.count);
  throw new BytesError("", FORMS, value);
}

function limited(bytes: Uint8Array, path: string, value: unknown): Uint8Array {
  if (bytes.length > BYTES_MAX) throw new BytesError(path, `at most ${BYTES_MAX} bytes`, value);
  return bytes;
}

function hexBytes(hex: unknown): Uint8Array {
  if (typeof hex !== "string" || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new BytesError(".hex", "an even number of hex digits", hex);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return limited(out, ".hex", hex);
}

function fillBytes(fill: unknown, count: unknown): Uint8Array {
  const byte = fillByte(fill);
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0) {
    throw new BytesError(".count", "a non-negative integer", count);
  }
  if (count > BYTES_MAX) throw new BytesError(".count", `at most ${BYTES_MAX}`, count);
  return sharedFill(byte, count);
}

/** Decoded fills are views of one shared run per byte value: a trace repeats the same few
 * `{"fill", "count"}` payloads, and decoded bytes are read-only (nothing writes into a step's
 * data), so a million steps of `{"fill": "x", "count": N}` allocate no buffers. */
const fillRuns = new Map<number, Uint8Array>();

function sharedFill(byte: number, count: number): Uint8Array {
  let run = fillRuns.get(byte);
  if (!run || run.length < count) {
    run = new Uint8Array(Math.max(count, 65536, (run?.length ?? 0) * 2)).fill(byte);
    fillRuns.set(byte, run);
  }
  return run.subarray(0, count);
}

function fillByte(fill: unknown): number {
  if (typeof fill === "string" && fill.length === 1 && fill.charCodeAt(0) < 0x80) {
    return fill.charCodeAt(0);
  }
  if (typeof fill === "number" && Number.isInteger(fill) && fill >= 0 && fill <= 255) return fill;
  throw new BytesError(".fill", "a one-character ASCII string or a byte value 0..255", fill);
}

/** The most readable form of `bytes` (see the file header). */
export function bytesToJson(bytes: Uint8Array): BytesJson {
  if (bytes.length >= FILL_COUNT_MIN && bytes.every((b) => b === bytes[0])) {
    const b = bytes[0];
    return { fill: b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b, count: bytes.length };
  }
  const text = printableText(bytes);
  if (text !== undefined) return text;
  return { hex: toHex(bytes) };
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

// Control and format characters, private use, and line/paragraph separators are unreadable in
// a JSON string; tab and newline are kept because JSON escapes them readably (\t, \n).
const UNPRINTABLE = /(?![\t\n])[\p{Cc}\p{Cf}\p{Co}\p{Zl}\p{Zp}]/u;

/** `bytes` as text if they are valid UTF-8 made of printable characters. */
export function printableText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  return UNPRINTABLE.test(text) ? undefined : text;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
