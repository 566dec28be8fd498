// Writers that take turns on a FIFO under flock(2): each of three children writes a record in
// two writes (a header line, then its body), holding an exclusive flock on its own open of
// the FIFO from the first write to the last, so records never interleave; the parent reads
// them all. Without the lock another writer's header could land between a header and its
// body. The lock belongs to the open file description (each child opens the FIFO itself: a
// forked descriptor would share one lock among all), and waiting writers are woken one at a
// time as the lock passes (fs/locks.c flock_lock_inode).
//
//   npx ipcsim run examples/lock-log.ts

import { LOCK_EX, LOCK_UN, O_RDONLY, O_RDWR, O_WRONLY, type Os } from "ipcsim";

const PATH = "log.fifo";
const WRITERS = 3;

async function writer(os: Os, n: number) {
  const fd = await os.open(PATH, O_WRONLY);
  await os.flock(fd, LOCK_EX);
  await os.write(fd, `record ${n}:\n`);
  await os.write(fd, `  body of ${n}\n`);
  await os.flock(fd, LOCK_UN);
  await os.close(fd);
}

export default async function main(os: Os) {
  await os.mkfifo(PATH, 0o600);
  const keep = await os.open(PATH, O_RDWR); // a writer end, so the reader sees no EOF early
  const kids: number[] = [];
  for (let n = 0; n < WRITERS; n++) kids.push(await os.fork((os) => writer(os, n)));
  const fd = await os.open(PATH, O_RDONLY);
  let text = "";
  while (text.split("\n").length <= 2 * WRITERS) {
    text += new TextDecoder().decode(await os.read(fd, 100));
  }
  const lines = text.trimEnd().split("\n");
  for (let i = 0; i < lines.length; i += 2) {
    const n = lines[i].match(/^record (\d):$/)?.[1];
    os.assert(n !== undefined && lines[i + 1] === `  body of ${n}`,
      `record ${i / 2} interleaved: ${JSON.stringify(lines.slice(i, i + 2))}`);
  }
  for (const pid of kids) await os.waitpid(pid, 0);
  await os.close(fd);
  await os.close(keep);
  await os.unlink(PATH);
}
