// The trace generator's entries for POSIX message queues (spliced into CALL_TABLE,
// call-table.ts): mq_open, mq_unlink, mq_timedsend, mq_timedreceive, mq_notify,
// mq_getsetattr.
//
// Names come from a small pool so that opens meet (EEXIST, a second process's descriptor on the
// same queue, unlink of an open queue); a few are bad (no slash: EINVAL; "/" alone: ENOENT).
// Queues are small (1 to 3 messages of up to 64 bytes, or the defaults), so sends fill them and
// block, and receives on empty ones block, and the hand-off between a blocked sender and
// receiver happens. Descriptors are the caller's queue descriptors (the shadow's "mq" ones), now
// and then another descriptor or a closed number (EBADF). Timeouts are absolute CLOCK_REALTIME
// instants: null, or 0 (long past: ETIMEDOUT at once when the call would wait), or invalid
// (EINVAL); a later instant would pace the trace on the host. Notification signals are SIGUSR1
// and SIGUSR2, which the signal entries may catch or leave fatal.

import fc from "fast-check";
import { flagsArb, kind, pick, type BuildContext, type CallKind } from "./call-kind.js";
import { msgText } from "./sysv-table.js";

const NAMES = ["/q0", "/q1", "/q2"];
const BAD_NAMES = ["q0", "/"];

const nameArb = fc.oneof(
  { weight: 12, arbitrary: pick(NAMES) },
  { weight: 1, arbitrary: pick(BAD_NAMES) },
);

const attrArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(null) },
  {
    weight: 5,
    arbitrary: fc.record({ maxmsg: pick([1, 2, 3, 11, 0]), msgsize: pick([16, 64, 8, 8193]) }),
  },
);

const accessArb = pick(["O_RDWR", "O_WRONLY", "O_RDONLY"]);

/** The caller's n-th queue descriptor; now and then any descriptor or a closed number. */
function mqd(ctx: BuildContext, n: number): number | null {
  const all = ctx.shadow.fdsOf(ctx.pid);
  const mine = all.filter(([, d]) => d.kind === "mq");
  if (n % 16 === 15) return all.length > 0 ? all[n % all.length][0] : 7;
  if (n % 16 === 14) return 1023;
  if (mine.length === 0) return null;
  return mine[n % mine.length][0];
}

const TIMEOUTS = [null, null, null, null, null, { sec: 0, nsec: 0 }, { sec: 0, nsec: 1e9 }];

const sigevArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant({ notify: "SIGEV_NONE", signo: 0, value: 0 }) },
  {
    weight: 4,
    arbitrary: fc.record({
      notify: fc.constant("SIGEV_SIGNAL"), signo: pick(["SIGUSR1", "SIGUSR2"]),
      value: fc.nat({ max: 99 }),
    }),
  },
);

export const MQUEUE_TABLE: readonly CallKind[] = [
  kind(
    "mq_open",
    fc.tuple(nameArb, accessArb,
      flagsArb([["O_CREAT", 70], ["O_EXCL", 10], ["O_NONBLOCK", 25]]), attrArb),
    ([name, acc, flags, attr]) => ({
      call: "mq_open", name, flags: [acc, ...flags], mode: "0600", attr,
    }),
  ),
  kind("mq_unlink", nameArb, (name) => ({ call: "mq_unlink", name })),
  kind(
    "mq_timedsend",
    fc.tuple(fc.nat({ max: 63 }), pick([1, 8, 16, 64, 65]), pick([0, 1, 2, 3, 32768]),
      pick(TIMEOUTS)),
    ([n, size, prio, timeout], ctx) => {
      const fd = mqd(ctx, n);
      if (fd === null) return null;
      return { call: "mq_timedsend", mqd: fd, data: msgText(ctx.index, size), prio, timeout };
    },
  ),
  kind(
    "mq_timedreceive",
    fc.tuple(fc.nat({ max: 63 }), pick([64, 8192, 16, 8]), pick(TIMEOUTS)),
    ([n, size, timeout], ctx) => {
      const fd = mqd(ctx, n);
      return fd === null ? null : { call: "mq_timedreceive", mqd: fd, size, timeout };
    },
  ),
  kind("mq_notify", fc.tuple(fc.nat({ max: 63 }), sigevArb), ([n, sevp], ctx) => {
    const fd = mqd(ctx, n);
    return fd === null ? null : { call: "mq_notify", mqd: fd, sevp };
  }),
  kind(
    "mq_getsetattr",
    fc.tuple(fc.nat({ max: 63 }), fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 2, arbitrary: pick([{ flags: ["O_NONBLOCK"] }, { flags: [] }]) },
      { weight: 1, arbitrary: fc.constant({ flags: 1 }) },
    )),
    ([n, attr], ctx) => {
      const fd = mqd(ctx, n);
      return fd === null ? null : { call: "mq_getsetattr", mqd: fd, attr };
    },
  ),
];
