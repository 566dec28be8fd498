// The views' data edges and object counters, from the moves the kernel logged (flows.ts):
//   - a pipe or FIFO is a byte stream: the bytes a read took came from the writes that put
//     those offsets in, so each (write, read) pair that shares bytes is an edge carrying how
//     many;
//   - a SysV or POSIX message goes from its msgsnd (mq_send) to the msgrcv (mq_receive) that
//     took it (its serial names it);
//   - a socket's buffer goes from its send to each receive that took (or peeked at) some of its
//     bytes (its serial names it; a stream read may take part of one, or several), an edge per
//     (send, receive) pair carrying how many bytes;
//   - a counter per object: a pipe's or a socket's bytes held, a queue's messages, after every
//     step that moved any.

import type { NamedFlow } from "./flows.js";

interface DataEdge {
  fromPid: number;
  from: number;
  toPid: number;
  to: number;
  label: string;
}

export interface Counter {
  /** `pipe #1 bytes`, `msg queue 0 messages`. */
  name: string;
  points: { at: number; value: number }[];
}

/** A write's bytes in its pipe's stream: [start, start + len) at instant `at`. */
interface Chunk {
  pid: number;
  at: number;
  /** The write's step. */
  call: number;
  start: number;
  len: number;
}

/** One object's moves so far. */
interface ObjectState {
  name: string;
  unit: "bytes" | "messages";
  level: number;
  writes: Chunk[];
  /** The first write not wholly read yet (reads take the stream in order). */
  cursor: number;
  messages: Map<number, { pid: number; at: number; call: number; mtype: number; len: number }>;
  counter: Counter;
}

export function dataEdges(flows: ReadonlyMap<number, readonly NamedFlow[]>): {
  edges: DataEdge[]; counters: Counter[];
} {
  const objects = new Map<string, ObjectState>();
  const pairs = new Map<string, Pair>();
  const edges: DataEdge[] = [];
  for (const at of [...flows.keys()].sort((a, b) => a - b)) {
    const touched = new Set<ObjectState>();
    for (const f of flows.get(at)!) {
      const o = objectOf(objects, f);
      touched.add(o);
      if (f.object === "pipe") pipeMove(o, f, at, pairs);
      else if (f.object === "sock") sockMove(o, f, at, pairs);
      else {
        const e = messageMove(o, f, at);
        if (e) edges.push(e);
      }
    }
    for (const o of touched) o.counter.points.push({ at, value: o.level });
  }
  for (const p of pairs.values()) {
    const how = p.peek ? " (peeked)" : "";
    edges.push({ ...p, label: `${p.bytes} bytes through ${p.via} from step ${p.call}${how}` });
  }
  edges.sort((a, b) => a.from - b.from || a.to - b.to);
  const counters = [...objects.values()].map((o) => o.counter);
  return { edges: edges.map(({ fromPid, from, toPid, to, label }) =>
    ({ fromPid, from, toPid, to, label })), counters };
}

function objectOf(objects: Map<string, ObjectState>, f: NamedFlow): ObjectState {
  const key = `${f.object}:${f.id}`;
  let o = objects.get(key);
  if (o === undefined) {
    const unit = f.object === "pipe" || f.object === "sock" ? "bytes" : "messages";
    o = {
      name: f.name, unit, level: 0, writes: [], cursor: 0, messages: new Map(),
      counter: { name: `${f.name} ${unit}`, points: [] },
    };
    objects.set(key, o);
  }
  return o;
}

/** A pipe's write adds a chunk; a read takes its bytes from the chunks it overlaps. */
/** A write's and a read's shared bytes so far. */
type Pair = DataEdge & { bytes: number; via: string; call: number; peek?: boolean };

/** Count `bytes` more on the (write, read) edge `key`, made from these ends if new. */
function addPair(pairs: Map<string, Pair>, key: string, from: Omit<Chunk, "start" | "len">,
  to: NamedFlow, at: number, bytes: number, via: string): void {
  const p = pairs.get(key);
  if (p) p.bytes += bytes;
  else {
    pairs.set(key, { fromPid: from.pid, from: from.at, toPid: to.pid, to: at, label: "",
      bytes, via, call: from.call, peek: to.dir === "peek" });
  }
}

function pipeMove(o: ObjectState, f: NamedFlow, at: number, pairs: Map<string, Pair>): void {
  if (f.dir === "in") {
    o.writes.push({ pid: f.pid, at, call: f.call, start: f.at, len: f.len });
    o.level += f.len;
    return;
  }
  o.level -= f.len;
  const end = f.at + f.len;
  for (let i = o.cursor; i < o.writes.length; i++) {
    const w = o.writes[i];
    if (w.start >= end) break;
    const shared = Math.min(end, w.start + w.len) - Math.max(f.at, w.start);
    if (shared <= 0) continue;
    addPair(pairs, `${w.call}:${f.call}:${o.name}`, w, f, at, shared, o.name);
  }
  while (o.cursor < o.writes.length) {
    const w = o.writes[o.cursor];
    if (w.start + w.len > end) break;
    o.cursor++;
  }
}

/** A socket's buffer sent is remembered by serial; each receive (or peek) of some of its bytes
 * adds them to that (send, receive) pair's edge. */
function sockMove(o: ObjectState, f: NamedFlow, at: number, pairs: Map<string, Pair>): void {
  if (f.dir === "in") {
    o.messages.set(f.at, { pid: f.pid, at, call: f.call, mtype: 0, len: f.len });
    o.level += f.len;
    return;
  }
  const b = o.messages.get(f.at);
  if (b === undefined) return;
  if (f.dir === "out") o.level -= f.len;
  addPair(pairs, `${b.call}:${f.call}:${o.name}:${f.dir}`, b, f, at, f.len, o.name);
}

/** A message sent is remembered by serial; its receive is its edge (a MSG_COPY peek is an
 * edge too, and leaves it counted). */
function messageMove(o: ObjectState, f: NamedFlow, at: number): DataEdge | null {
  if (f.dir === "in") {
    o.messages.set(f.at, { pid: f.pid, at, call: f.call, mtype: f.extra, len: f.len });
    o.level++;
    return null;
  }
  const m = o.messages.get(f.at);
  if (m === undefined) return null;
  if (f.dir === "out") o.level--;
  const kind = f.object === "mq" ? `priority ${m.mtype}` : `type ${m.mtype}`;
  return {
    fromPid: m.pid, from: m.at, toPid: f.pid, to: at,
    label: `${kind}, ${m.len} bytes through ${o.name} from step ${m.call}`,
  };
}
