// Traces whose one step logs more events than the event log's static buffer (kernel/event.ts):
// shared by event-log.test.ts (the model) and host-bridge/scale.test.ts (`diff` on Linux).

/** RLIMIT_SIGPENDING as the model has it (kernel/param.ts SIGQUEUE_MAX). */
const SIGQUEUE_MAX = 96_365;

const HEADER = (name: string, description: string) =>
  JSON.stringify({ trace: "ipcsim", version: 1, name, description });

/** pid 2 forks `forks` children (pids 3 ..), then kill(0, SIGKILL) kills the whole group in one
 * step (kernel/signal.c __kill_pgrp_info): one exit event a process. */
export function groupKillTrace(forks: number): string {
  const lines = [HEADER("event-log-group-kill", `${forks} forks, then kill(0, SIGKILL)`)];
  for (let i = 0; i < forks; i++) {
    lines.push(`{"pid":2,"call":"fork","expect":{"ret":${3 + i}},"expect_events":[]}`);
  }
  const exits = [];
  for (let pid = 2; pid < 3 + forks; pid++) {
    exits.push(`{"exit":${pid},"status":{"signaled":"SIGKILL"}}`);
  }
  lines.push(`{"pid":2,"call":"kill","target":0,"sig":"SIGKILL","expect_events":[${exits}]}`);
  return lines.join("\n") + "\n";
}

/** pid 2 catches SIGRTMIN, blocks it, and sigqueues itself `sends` of them: the first `limit`
 * are queued, the rest fail with EAGAIN (kernel/signal.c __sigqueue_alloc: an rt signal sent
 * other than by kill past RLIMIT_SIGPENDING); unblocking it runs one handler per entry, in
 * queue order (each waits for the one before to return: SIGRTMIN is blocked in its handler). */
export function rtReleaseTrace(sends: number, limit = SIGQUEUE_MAX): string {
  const lines = [
    HEADER("event-log-rt-release", `${sends} sigqueues of SIGRTMIN, released at once`),
    `{"pid":2,"call":"sigaction","sig":"SIGRTMIN","handler":"catch","flags":[],"mask":[],` +
      `"expect":{"ret":0},"expect_events":[]}`,
    `{"pid":2,"call":"sigprocmask","how":"SIG_BLOCK","set":["SIGRTMIN"],` +
      `"expect":{"ret":0,"oldset":[]},"expect_events":[]}`,
  ];
  const queued = Math.min(sends, limit);
  for (let i = 0; i < sends; i++) {
    const expect = i < queued ? `{"ret":0}` : `{"ret":-1,"errno":"EAGAIN"}`;
    lines.push(`{"pid":2,"call":"sigqueue","target":2,"sig":"SIGRTMIN","value":${i},` +
      `"expect":${expect},"expect_events":[]}`);
  }
  const runs = [];
  for (let i = 0; i < queued; i++) runs.push(`{"signal":"SIGRTMIN","pid":2,"value":${i}}`);
  lines.push(`{"pid":2,"call":"sigprocmask","how":"SIG_UNBLOCK","set":["SIGRTMIN"],` +
    `"expect":{"ret":0,"oldset":["SIGRTMIN"]},"expect_events":[${runs}]}`);
  return lines.join("\n") + "\n";
}
