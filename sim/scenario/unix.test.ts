// AF_UNIX stream sockets as a scenario sees them, under the explorer: every byte sent on a
// stream socketpair is received exactly once and in order, however the sends are cut into
// buffers (unix_stream_sendmsg), however the writer blocks on a full send buffer and is woken
// (unix_write_space), and however a reader's counts, MSG_PEEK and MSG_WAITALL split them.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AF_UNIX, MSG_PEEK, MSG_WAITALL, SHUT_WR, SOCK_STREAM } from "./constants.js";
import { explore } from "./explore.js";
import type { Os } from "./os.js";

/** The stream's byte at offset i: positions are recognisable modulo 251 (a prime, so no send
 * size lines up with it). */
const byteAt = (i: number) => (i * 7 + 3) % 251;

function chunk(from: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = byteAt(from + i);
  return out;
}

type Read = { count: number; flags: number };

/**
 * A child sends `sizes` (blocking sends: large ones fill the 212992-byte send buffer and
 * wait), then shuts its end for writing; the parent reads with `reads` (then 64 KiB at a
 * time) until EOF. What it receives, peeks aside, is the stream from offset 0, each byte once.
 */
function workload(sizes: readonly number[], reads: readonly Read[]) {
  return async (os: Os) => {
    const [a, b] = await os.socketpair(AF_UNIX, SOCK_STREAM);
    const total = sizes.reduce((n, s) => n + s, 0);
    const writer = await os.fork(async (os) => {
      await os.close(a);
      let off = 0;
      for (const n of sizes) {
        const sent = await os.send(b, chunk(off, n));
        os.assert(sent === n, `a blocking send of ${n} returned ${sent}`);
        off += n;
      }
      await os.shutdown(b, SHUT_WR);
    });
    await os.close(b);
    let got = 0;
    for (let k = 0; ; k++) {
      const r = reads[k] ?? { count: 65536, flags: 0 };
      const data = await os.recv(a, r.count, r.flags);
      if (data.length === 0 && r.count > 0) break;
      const peek = (r.flags & MSG_PEEK) !== 0;
      os.assert(data.length <= r.count, `recv of ${r.count} gave ${data.length} bytes`);
      if ((r.flags & MSG_WAITALL) !== 0 && !peek && got + r.count <= total) {
        os.assert(data.length === r.count, `MSG_WAITALL of ${r.count} gave ${data.length}`);
      }
      for (let i = 0; i < data.length; i++) {
        os.assert(data[i] === byteAt(got + i), `byte ${got + i} is ${data[i]}`);
      }
      if (!peek) got += data.length;
    }
    os.assert(got === total, `received ${got} of ${total} bytes`);
    await os.waitpid(writer);
  };
}

const sizesArb = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constantFrom(3776, 36544, 36545, 100000)),
  { minLength: 1, maxLength: 4 });
const readsArb = fc.array(
  fc.record({
    count: fc.oneof(fc.integer({ min: 1, max: 500 }), fc.constantFrom(4096, 36544, 70000)),
    flags: fc.constantFrom(0, 0, MSG_PEEK, MSG_WAITALL),
  }),
  { maxLength: 4 });

describe("AF_UNIX stream socketpairs under the explorer", () => {
  it("receive every byte sent exactly once and in order (PCT, 20 programs)", async () => {
    await fc.assert(fc.asyncProperty(sizesArb, readsArb, async (sizes, reads) => {
      const r = await explore(workload(sizes, reads), { strategy: "pct", runs: 60, seed: 1 });
      expect(r.ok, `${JSON.stringify([sizes, reads])}: ${r.shrunk?.replayCommand}`).toBe(true);
    }), { numRuns: 20, seed: 17 });
  }, 120_000);

  it("receive every byte once and in order (every schedule, dfs:2)", async () => {
    const r = await explore(workload([100000, 150000], [{ count: 36544, flags: MSG_WAITALL }]),
      { strategy: "dfs:2", runs: 20_000 });
    expect(r.ok, r.shrunk?.replayCommand).toBe(true);
    expect(r.exhausted).toBe(true);
  }, 120_000);
});
