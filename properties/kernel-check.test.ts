// kernel_check() asserts every invariant of every kernel table (kernel/check.ts). The engine
// runs it after each step when asked ({check: true}), in every world it keeps. A step the
// model threw on while the trace was built throws again here, and fails the property too.

import { test } from "@fast-check/vitest";
import { expect } from "vitest";
import { traceArb, type TraceOptions } from "./arbitraries.js";
import { HEAVY } from "./weights.js";
import { params, replayPath, sharedKernel, withTrace } from "./support.js";
import "./timeouts.js";

function holds(name: string, opts: TraceOptions, runs: number, what: string): void {
  test.prop([traceArb(opts)], params(runs))(
    `kernel_check() holds after every step of a random trace${what}`,
    (g) => {
      withTrace(name, g, () => {
        const { path } = replayPath(g.trace, g.seed, sharedKernel(), { check: true });
        expect(path.length).toBe(g.steps.length);
      });
    },
  );
}

holds("kernel-check", {}, 150, "");
holds(
  "kernel-check-procs",
  { stepsMax: 15, weights: { fork: 12, exit: 6, waitpid: 6 } },
  80,
  " heavy in fork, exit and waitpid",
);
holds(
  "kernel-check-fifos",
  { stepsMax: 25, weights: { open: 14, mkfifo: 6, unlink: 4, close: 8 } },
  80,
  " heavy in FIFO opens, unlinks and closes",
);
holds(
  "kernel-check-sockets",
  { stepsMax: 40, weights: HEAVY.socket.weights },
  80,
  " heavy in socketpairs, sends that fill the send buffer, receives, shutdowns and closes",
);
holds(
  "kernel-check-epoll",
  { stepsMax: 40, weights: HEAVY.poll.weights },
  80,
  " heavy in poll, select and epoll: interest lists, ready lists and their poll entries",
);
