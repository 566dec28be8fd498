// POSIX message queues as a scenario sees them, under the explorer: every message sent is
// received exactly once, by priority and then in send order (ipc/mqueue.c msg_insert's
// priority tree, FIFO within a priority; pipelined_send and pipelined_receive for the
// processes that wait).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { O_CREAT, O_RDWR } from "./constants.js";
import { explore } from "./explore.js";
import type { Os } from "./os.js";

/** The message of sender s's i-th send, at priority p: "s.i.p". */
const label = (s: number, i: number, p: number) => `${s}.${i}.${p}`;

/**
 * Two senders send their priorities (drawn) to one small queue (`maxmsg` 2: they block when it
 * is full) while one receiver takes every message. What the receiver sees: each message once;
 * a sender's messages of one priority in the order it sent them; and never a message of a
 * lower priority while one of a higher priority sent before the receive began is still
 * waiting: the receiver loads `sent` (messages whose mq_send returned) before each receive,
 * and any of those not yet received must not outrank what it gets.
 */
function workload(prios: readonly (readonly number[])[]) {
  return async (os: Os) => {
    const q = await os.mq_open("/p", O_CREAT | O_RDWR, 0o600, { maxmsg: 2, msgsize: 16 });
    const sent: string[] = [];
    const senders = await Promise.all(prios.map((ps, s) => os.fork(async (os) => {
      for (let i = 0; i < ps.length; i++) {
        await os.mq_send(q, label(s, i, ps[i]), ps[i]);
        sent.push(label(s, i, ps[i])); // shared JS state: what has been sent, in send order
      }
    })));
    const total = prios.reduce((n, ps) => n + ps.length, 0);
    const got: string[] = [];
    for (let n = 0; n < total; n++) {
      const before = [...sent];
      const { data, prio } = await os.mq_receive(q, 16);
      const m = new TextDecoder().decode(data);
      os.assert(!got.includes(m), `${m} received twice`);
      os.assert(Number(m.split(".")[2]) === prio, `${m} came with priority ${prio}`);
      const waiting = before.filter((x) => !got.includes(x));
      const higher = waiting.find((x) => Number(x.split(".")[2]) > prio);
      os.assert(higher === undefined, `got ${m} while ${higher}, sent before, still waited`);
      const [s, i] = m.split(".").map(Number);
      const earlier = got.filter((x) => x.startsWith(`${s}.`) && x.endsWith(`.${prio}`));
      os.assert(earlier.every((x) => Number(x.split(".")[1]) < i), `${m} after a later send`);
      got.push(m);
    }
    for (const pid of senders) await os.waitpid(pid);
    os.assert(got.length === total, `received ${got.length} of ${total}`);
    await os.mq_unlink("/p");
  };
}

const priosArb = fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 3 }),
  { minLength: 2, maxLength: 2 });

describe("POSIX message queues under the explorer", () => {
  it("receive every message once, by priority then in send order (PCT, 20 programs)",
    async () => {
      await fc.assert(fc.asyncProperty(priosArb, async (prios) => {
        const r = await explore(workload(prios), { strategy: "pct", runs: 150, seed: 1 });
        expect(r.ok, `${JSON.stringify(prios)}: ${r.shrunk?.replayCommand}`).toBe(true);
      }), { numRuns: 20, seed: 18 });
    }, 120_000);

  it("receive every message once, by priority then in send order (every schedule, dfs:2)",
    async () => {
      const r = await explore(workload([[1, 0], [2, 1]]), { strategy: "dfs:2", runs: 100_000 });
      expect(r.ok, r.shrunk?.replayCommand).toBe(true);
      expect(r.exhausted).toBe(true);
    }, 120_000);
});
