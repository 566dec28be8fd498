// SysV message queues on random traces heavy in msgsnd, msgrcv, msgctl, fork and exit
// (weights.ts MSG_HEAVY): several processes block in msgrcv and msgsnd and wake each other.
// The ledger (sysv-ledgers.ts) follows what was sent and received from the outcomes alone.

import { test } from "@fast-check/vitest";
import { expect } from "vitest";
import { traceArb } from "./arbitraries.js";
import { MessageLedger } from "./sysv-ledgers.js";
import { runAll, withRun } from "./sysv-run.js";
import { params } from "./support.js";
import { MSG_HEAVY } from "./weights.js";
import "./timeouts.js";

const traces = traceArb({ weights: MSG_HEAVY });

test.prop([traces], params(100))(
  "every message sent is received at most once and, per type, in send order (senders woken " +
    "together retry in any order, so a receive may take any message of theirs)",
  (g) => {
    withRun("msg-order", g, (run) => {
      const ledger = new MessageLedger({ stat: false });
      runAll(run, (_, ended) => ledger.step(ended));
      expect(ledger.problems).toEqual([]);
    });
  },
);

test.prop([traces], params(100))(
  "no message is lost: what IPC_STAT counts queued (msg_qnum, msg_cbytes), at any step and " +
    "at the end, is what was sent and not received",
  (g) => {
    withRun("msg-lost", g, (run) => {
      const ledger = new MessageLedger({ stat: true });
      runAll(run, (_, ended) => ledger.step(ended));
      // The end: an idle process takes IPC_STAT of every queue still there (an added step each).
      const pid = run.idle()[0];
      for (const msqid of [...ledger.queues.keys()].sort((a, b) => a - b)) {
        ledger.step(run.append(pid, { call: "msgctl", msqid, cmd: "IPC_STAT" }).ended);
      }
      expect(ledger.problems).toEqual([]);
    });
  },
);
