// The inspectors of the kernel's objects at the selected step, in the kernel's own terms
// (sim/view/inspect.ts reads them): a process's descriptors, signals and undo adjustments; a
// pipe's ring of slots; a SysV queue's messages against msg_qbytes and its sleepers; a POSIX
// queue's messages by priority; a semaphore set's values, pending lists and semadj; shared
// segments and the page tables (a frame two processes map is tinted alike and says so).

import type { VNode } from "preact";
import { html } from "htm/preact";
import type { ViewState } from "../flows.js";

type Detail = ViewState["detail"];

/** msgrcv and semop flags the inspectors name (uapi values). */
const IPC_NOWAIT = 0o4000;
const MSG_NOERROR = 0o10000;
const MSG_EXCEPT = 0o20000;
const SEM_UNDO = 0x1000;

const pids = (list: readonly number[]) => list.map((p) => `pid ${p}`).join(", ");

/** A pipe's ring, oldest slot first: each slot's bytes within its page (4096). */
export function Slots({ slots }: { slots: Detail["pipes"][number]["slots"] }): VNode {
  if (!slots.length) return html`<span class="empty"> (no slot in use)</span>`;
  return html`<ol class="slots">${slots.map((s) => html`<li title=${`page ${s.page}`}>
    ${`bytes ${s.offset}-${s.offset + s.len} of page ${s.page}` +
      (s.packet ? ", a packet" : s.merge ? ", a write may merge" : "")}</li>`)}</ol>`;
}

/** A process's descriptors, signals and SEM_UNDO adjustments. */
export function ProcBox({ d }: { d: Detail["processes"][number] }): VNode {
  const sigs = (label: string, names: string[]) => names.length
    ? html`<li>${label}: ${names.join(" ")}</li>` : "";
  return html`<details class="proc" data-pid=${d.pid}>
    <summary>${`pid ${d.pid}: ${d.fds.length} descriptors`}</summary>
    <ul class="fds">${d.fds.map((f) => html`<li>fd ${f.fd}: ${f.what}</li>`)}</ul>
    <ul class="signals">${sigs("pending", d.pending)}${sigs("blocked", d.blocked)}
      ${sigs("caught", d.caught)}${sigs("ignored", d.ignored)}</ul>
    ${d.undo.length ? html`<ul class="undo">${d.undo.map((u) => html`<li>${
      `semadj of ${u.semid < 0 ? "a removed set" : `semid ${u.semid}`}: [${u.adj.join(", ")}]`
    }</li>`)}</ul>` : ""}
  </details>`;
}

/** SysV queues: each message in send order, msg_cbytes against msg_qbytes, the sleepers. */
export function MsgQueues({ state }: { state: ViewState }): VNode | string {
  if (!state.queues.length) return "";
  return html`<h3>message queues</h3><ul class="queues">${state.queues.map((q) => {
    const d = state.detail.msgQueues.find((x) => x.id === q.id);
    const head = `msqid ${q.id} (key ${q.key}, mode ${q.mode.toString(8)}): ` +
      `${q.messages} messages, ${q.bytes} bytes`;
    if (!d) return html`<li data-id=${q.id}>${head}</li>`;
    return html`<li data-id=${q.id}>${head} of msg_qbytes ${d.qbytes}
      <${Meter} value=${d.cbytes} max=${d.qbytes} label=${`msqid ${q.id} bytes`} />
      ${d.messages.length ? html`<ol class="messages">${d.messages.map((m) => html`<li>
        ${`mtype ${m.type}, ${m.size} bytes: ${m.text}`}</li>`)}</ol>` : ""}
      <${More} shown=${d.messages.length} of=${q.messages} />
      ${d.receivers.length ? html`<p class="receivers">${"waiting to receive: " +
        d.receivers.map((r) => `pid ${r.pid} (${msgtypText(r.msgtyp, r.flags)})`).join(", ")
      }</p>` : ""}
      ${d.senders.length ? html`<p class="senders">${"waiting to send: " + d.senders.map((s) =>
        `pid ${s.pid} (mtype ${s.type}, ${s.size} bytes)`).join(", ")}</p>` : ""}
    </li>`;
  })}</ul>`;
}

function msgtypText(msgtyp: number, flags: number): string {
  const extra = (flags & MSG_EXCEPT ? " MSG_EXCEPT" : "") + (flags & MSG_NOERROR
    ? " MSG_NOERROR" : "");
  return `msgtyp ${msgtyp}${extra}`;
}

/** The lists stop at 16 entries (inspect-ipc.ts LIST_MAX): say how many more there are. */
function More({ shown, of }: { shown: number; of: number }): VNode | string {
  return of > shown ? html`<p class="more">${`and ${of - shown} more`}</p>` : "";
}

/** How full an object is, as a bar (a number beside it says the same). */
function Meter({ value, max, label }: { value: number; max: number; label: string }): VNode {
  return html`<meter aria-label=${label} min="0" max=${Math.max(max, 1)} value=${value}></meter>`;
}

/** POSIX queues: messages in receive order (priority first), maxmsg and msgsize, sleepers. */
export function PosixQueues({ d }: { d: Detail["posixQueues"] }): VNode | string {
  if (!d.length) return "";
  return html`<h3>POSIX message queues</h3><ul class="mqueues">${d.map((q) => html`<li>
    ${`${q.name ? `/${q.name}` : "(unlinked)"}: ${q.curmsgs} of mq_maxmsg ` +
      `${q.maxmsg} messages, mq_msgsize ${q.msgsize}`}
    <${Meter} value=${q.curmsgs} max=${q.maxmsg} label=${`/${q.name} messages`} />
    ${q.messages.length ? html`<ol class="messages">${q.messages.map((m) => html`<li>
      ${`priority ${m.prio}, ${m.size} bytes: ${m.text}`}</li>`)}</ol>` : ""}
    <${More} shown=${q.messages.length} of=${q.curmsgs} />
    ${q.receivers.length ? html`<p class="receivers">waiting to receive: ${pids(q.receivers)}</p>`
      : ""}
    ${q.senders.length ? html`<p class="senders">${"waiting to send: " + q.senders.map((s) =>
      `pid ${s.pid} (priority ${s.prio})`).join(", ")}</p>` : ""}
  </li>`)}</ul>`;
}

/** Semaphore sets: per semaphore its value, its pending alter and const lists, each process's
 * semadj; then the set's own lists (operations on several semaphores). */
export function SemSets({ state }: { state: ViewState }): VNode | string {
  if (!state.semaphores.length) return "";
  return html`<h3>semaphores</h3>${state.semaphores.map((s) => {
    const d = state.detail.semSets.find((x) => x.id === s.id);
    const undos = state.detail.processes.flatMap((p) => p.undo
      .filter((u) => u.semid === s.id).map((u) => ({ pid: p.pid, adj: u.adj })));
    const waiters = d?.waiters ?? [];
    const at = (num: number, list: string) => waiters
      .filter((w) => w.num === num && w.list === list).map(waiterText).join("; ");
    const complex = waiters.filter((w) => w.num < 0);
    return html`<table class="sems" data-id=${s.id}>
      <caption>${`semid ${s.id} (key ${s.key}, mode ${s.mode.toString(8)})`}</caption>
      <tr><th>sem</th><th>semval</th><th>pending alter</th><th>pending const</th>
        ${undos.map((u) => html`<th>pid ${u.pid} semadj</th>`)}</tr>
      ${s.values.map((v, num) => html`<tr data-num=${num}><td>${num}</td><td>${v}</td>
        <td>${at(num, "alter")}</td><td>${at(num, "const")}</td>
        ${undos.map((u) => html`<td>${u.adj[num]}</td>`)}</tr>`)}
      ${complex.length ? html`<tr class="complex"><td colspan="2">the set's own lists</td>
        <td>${at(-1, "alter")}</td><td>${at(-1, "const")}</td></tr>` : ""}
    </table>`;
  })}`;
}

/** "pid 3 {0, -1, SEM_UNDO} (blocked on it)", each sop, the blocking one marked. */
function waiterText(w: Detail["semSets"][number]["waiters"][number]): string {
  const sops = w.sops.map((o, i) => {
    const flags = [o.flags & IPC_NOWAIT ? "IPC_NOWAIT" : "", o.flags & SEM_UNDO ? "SEM_UNDO" : ""]
      .filter(Boolean).join("|") || "0";
    return `{${o.num}, ${o.op}, ${flags}}${i === w.blocking && w.sops.length > 1 ? "*" : ""}`;
  });
  return `pid ${w.pid} ${sops.join(" ")}`;
}

/** Tints for frames mapped by more than one process (Okabe–Ito, lightened): the same frame is
 * the same tint in every row, and the row says which processes share it. */
const TINTS = ["#cce3f0", "#fbe3c2", "#c9eadf", "#f7d9c6", "#efd7e6", "#fdf6c8"];

/** Shared segments, then each process's mapped pages and the frames they point to. */
export function Memory({ state }: { state: ViewState }): VNode | string {
  const rows = state.detail.processes.flatMap((p) => p.pages.map((g) => ({ pid: p.pid, ...g })));
  if (!state.segments.length && !rows.length) return "";
  const byFrame = new Map<number, number[]>();
  for (const r of rows) byFrame.set(r.frame, [...byFrame.get(r.frame) ?? [], r.pid]);
  const shared = [...byFrame].filter(([, ps]) => ps.length > 1).map(([f]) => f);
  const mapping = (pid: number, va: number) => state.processes.find((p) => p.pid === pid)
    ?.mappings.find((m) => va >= m.start && va < m.end);
  return html`${state.segments.length ? html`<h3>shared memory</h3><ul class="segments">${
    state.segments.map((s) => html`<li>${`shmid ${s.id}: ${s.bytes} bytes, ${s.nattch} ` +
      `attached` + (s.dest ? " (removed)" : "")}</li>`)}</ul>` : ""}
    ${rows.length ? html`<h3>page tables</h3><table class="pages">
      <tr><th>pid</th><th>page</th><th>mapping</th><th>frame</th><th>entry</th><th>refs</th></tr>
      ${rows.map((r) => {
        const m = mapping(r.pid, r.va);
        const i = shared.indexOf(r.frame);
        const others = (byFrame.get(r.frame) ?? []).filter((p) => p !== r.pid);
        return html`<tr data-pid=${r.pid} data-frame=${r.frame}
          class=${i >= 0 ? "shared" : undefined}
          style=${i >= 0 ? `background: ${TINTS[i % TINTS.length]}` : undefined}>
          <td>${r.pid}</td><td>${`0x${r.va.toString(16)}`}</td>
          <td>${m ? m.perms + (m.shmid !== undefined ? ` shmid ${m.shmid}` : "") : ""}</td>
          <td>${`frame ${r.frame}` + (others.length ? ` (also ${pids([...new Set(others)])})`
            : "")}</td>
          <td>${(r.writable ? "writable" : "read-only") + (r.cow ? ", copy-on-write" : "")}</td>
          <td>${r.refs}</td></tr>`;
      })}</table>` : ""}`;
}
