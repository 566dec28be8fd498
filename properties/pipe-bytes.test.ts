// Every byte written into a pipe is read exactly once and in order (pipe-streams.ts says how
// that is checked), across random writers, readers, sizes, closes, forks and FIFO reopens.

import { test } from "@fast-check/vitest";
import { expect } from "vitest";
import { traceArb } from "./arbitraries.js";
import { checkLeftovers, checkStream, collectStreams } from "./pipe-streams.js";
import { params, replayPath, sharedKernel, withTrace } from "./support.js";
import "./timeouts.js";

/** Mostly reads and writes; no O_DIRECT (packet mode drops the rest of a short read). */
const traces = traceArb({
  packet: false,
  weights: {
    read: 18, write: 18, "fcntl-getfl": 0, "fcntl-getpipe-sz": 0, "fcntl-setfl": 2, dup: 2, dup2: 1,
  },
});

test.prop([traces], params(150))(
  "every byte written into a pipe is read exactly once and in order",
  (g) => {
    withTrace("pipe-bytes", g, () => {
      const k = sharedKernel();
      const { path } = replayPath(g.trace, g.seed, k);
      const { streams, shadow } = collectStreams(g.trace, path);
      const problems = streams.flatMap(checkStream);
      problems.push(...checkLeftovers(streams, shadow, k));
      expect(problems).toEqual([]);
    });
  },
);
