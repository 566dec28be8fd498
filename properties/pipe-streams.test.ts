// The pipe-bytes checker on streams made by hand: it must accept what Linux may do (large
// blocking writes interleaved a page at a time) and refuse every way of losing, repeating,
// reordering or tearing bytes.

import { describe, expect, it } from "vitest";
import { patternBytes } from "./call-table.js";
import { Interleaving, type WriteRec } from "./pipe-streams.js";

function write(step: number, count: number, accepted: number | null, completedAt: number | null) {
  return { step, data: patternBytes(step, count), accepted, completedAt } satisfies WriteRec;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const ok = (all: Uint8Array, ws: WriteRec[]) => new Interleaving(all, ws).search().ok;

describe("Interleaving", () => {
  const a = write(1, 10000, 10000, 5);
  const b = write(2, 10000, 10000, 6);

  it("accepts writes read in order, and a prefix of them", () => {
    expect(ok(concat(a.data, b.data), [a, b])).toBe(true);
    expect(ok(concat(a.data, b.data.subarray(0, 17)), [a, b])).toBe(true);
  });

  it("accepts two concurrent large writes interleaved a page at a time", () => {
    const [a1, a2] = [a.data.subarray(0, 4096), a.data.subarray(4096)];
    expect(ok(concat(a1, b.data.subarray(0, 4096), a2, b.data.subarray(4096)), [a, b])).toBe(true);
  });

  it("refuses a lost, a repeated or a changed byte", () => {
    expect(ok(concat(a.data.subarray(0, 99), a.data.subarray(100)), [a])).toBe(false);
    expect(ok(concat(a.data.subarray(0, 100), a.data.subarray(99)), [a])).toBe(false);
    const changed = a.data.slice();
    changed[5000] ^= 1;
    expect(ok(changed, [a])).toBe(false);
  });

  it("refuses more bytes than a write accepted", () => {
    const partial = write(1, 10000, 6000, 5);
    expect(ok(partial.data.subarray(0, 6000), [partial])).toBe(true);
    expect(ok(partial.data.subarray(0, 6001), [partial])).toBe(false);
  });

  it("allows any prefix of a write whose count is unknown (killed, or still blocked)", () => {
    const killed = write(1, 10000, null, null);
    expect(ok(killed.data.subarray(0, 7777), [killed])).toBe(true);
  });

  it("refuses a write read before one that completed before it was issued", () => {
    const first = write(1, 100, 100, 1);
    const second = write(3, 100, 100, 3);
    expect(ok(concat(first.data, second.data), [first, second])).toBe(true);
    expect(ok(concat(second.data, first.data), [first, second])).toBe(false);
  });

  it("refuses a write of at most PIPE_BUF bytes torn by another", () => {
    const small = write(1, 4096, 4096, 9);
    const big = write(2, 10000, 10000, 9);
    const [s1, s2] = [small.data.subarray(0, 10), small.data.subarray(10)];
    const [b1, b2] = [big.data.subarray(0, 4096), big.data.subarray(4096)];
    expect(ok(concat(s1, b1, s2), [small, big])).toBe(false);
    expect(ok(concat(b1, small.data, b2), [small, big])).toBe(true);
  });
});
