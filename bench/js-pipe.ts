// The pipe benchmark's baseline: kernel/pipe.ts's algorithm written in plain TypeScript, so
// that the ratio says what the kernel ABI and the simulation around the pipe cost.
//
// The same as the kernel: a ring of 16 slots over 4 KiB pages (head and tail run freely, the
// ring index is `n & (ringSize - 1)`), a write first merges its sub-page remainder
// (len % 4096) into the last slot when that slot can merge and has room, then fills whole
// new pages while a slot is free; a read copies out of the tail slot and frees its page when
// it is drained; a write to an empty pipe wakes a reader and a read that frees a slot of a
// full pipe wakes a writer. Pages come from a free list, as mem.ts's pageAllocRaw/pagePut.
//
// Not here, on purpose (it is the kernel's overhead the ratio measures): the wasm call, the
// syscall dispatch and fd lookup, the page-table walk of every user address, wait queues and
// signals. Where the kernel would sleep, this returns -EAGAIN.
//
// Memory is one byte array, like wasm linear memory: the "process" buffer at [0, userBytes),
// then the page pool. A copy of up to 16 bytes is a scalar loop; longer ones use copyWithin
// (its fixed cost dominates tiny copies: the same trick wasm-notes.md section 1 measured).
//
//   mem:   | user bytes ... | page 0 | page 1 | ... | page (pages-1) |
//   slots: Int32Array, 4 per slot: | page offset in mem | offset | len | flags |

const PAGE_SIZE = 4096;
const BUF_CAN_MERGE = 1;
const EAGAIN = 11;
const EPIPE = 32;
/** PIPE_DEF_BUFFERS. */
const RING_SIZE = 16;

export class JsPipe {
  readonly mem: Uint8Array;
  private readonly slots = new Int32Array(RING_SIZE * 4);
  private head = 0;
  private tail = 0;
  private readonly maxUsage = RING_SIZE;
  private readonly freePages: Int32Array;
  private freeCount = 0;
  readers = 1;
  writers = 1;
  /** Sleepers (always 0 here: nothing sleeps) and wake-ups that found one. */
  readerSleepers = 0;
  writerSleepers = 0;
  wakeups = 0;

  /** A pipe with a user buffer of `userBytes` and a pool of `pages` pages. */
  constructor(userBytes: number, pages = RING_SIZE + 1) {
    this.mem = new Uint8Array(userBytes + pages * PAGE_SIZE);
    this.freePages = new Int32Array(pages);
    for (let i = pages - 1; i >= 0; i--) {
      this.freePages[this.freeCount++] = userBytes + i * PAGE_SIZE;
    }
  }

  /** anon_pipe_write of count bytes at user offset va: bytes written, or -errno. */
  write(va: number, count: number): number {
    if (count === 0) return 0;
    if (this.readers === 0) return -EPIPE;
    const wasEmpty = this.head === this.tail;
    let done = 0;
    const chars = count & (PAGE_SIZE - 1);
    if (chars !== 0 && !wasEmpty) {
      const s = ((this.head - 1) & (RING_SIZE - 1)) * 4;
      const offset = this.slots[s + 1] + this.slots[s + 2];
      if ((this.slots[s + 3] & BUF_CAN_MERGE) !== 0 && offset + chars <= PAGE_SIZE) {
        this.copy(this.slots[s] + offset, va, chars);
        this.slots[s + 2] += chars;
        done = chars;
      }
    }
    while (done < count && this.head - this.tail < this.maxUsage) {
      const page = this.freePages[--this.freeCount];
      const n = Math.min(count - done, PAGE_SIZE);
      this.copy(page, va + done, n);
      const s = (this.head & (RING_SIZE - 1)) * 4;
      this.slots[s] = page;
      this.slots[s + 1] = 0;
      this.slots[s + 2] = n;
      this.slots[s + 3] = BUF_CAN_MERGE;
      this.head++;
      done += n;
    }
    if (wasEmpty && done > 0) this.wakeReader();
    return done > 0 ? done : -EAGAIN;
  }

  /** anon_pipe_read of up to count bytes into user offset va: bytes read, 0 at EOF, or -errno. */
  read(va: number, count: number): number {
    if (count === 0) return 0;
    let total = count;
    let ret = 0;
    let wakeWriter = false;
    while (this.head !== this.tail) {
      const s = (this.tail & (RING_SIZE - 1)) * 4;
      const chars = Math.min(this.slots[s + 2], total);
      this.copy(va + ret, this.slots[s] + this.slots[s + 1], chars);
      ret += chars;
      this.slots[s + 1] += chars;
      this.slots[s + 2] -= chars;
      if (this.slots[s + 2] === 0) {
        wakeWriter ||= this.head - this.tail >= this.maxUsage;
        this.freePages[this.freeCount++] = this.slots[s];
        this.tail++;
      }
      total -= chars;
      if (total === 0) break;
    }
    if (ret === 0) return this.writers === 0 ? 0 : -EAGAIN;
    if (wakeWriter) this.wakeWriter();
    return ret;
  }

  private copy(dst: number, src: number, n: number): void {
    const mem = this.mem;
    if (n <= 16) {
      for (let i = 0; i < n; i++) mem[dst + i] = mem[src + i];
    } else {
      mem.copyWithin(dst, src, src + n);
    }
  }

  private wakeReader(): void {
    if (this.readerSleepers > 0) this.wakeups++;
  }

  private wakeWriter(): void {
    if (this.writerSleepers > 0) this.wakeups++;
  }
}
