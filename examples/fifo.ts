// Two unrelated processes over a FIFO (fifo(7)): the parent makes a named pipe and forks two
// children that share nothing but its name. The writer opens it for writing, the reader for
// reading (each open waits for the other side), the writer sends two lines and closes, and the
// reader reads until EOF.
//
//   npx ipcsim run examples/fifo.ts

import { O_RDONLY, O_WRONLY, type Os } from "ipcsim";

const PATH = "demo.fifo";

async function writer(os: Os) {
  const fd = await os.open(PATH, O_WRONLY);
  await os.write(fd, "first line\n");
  await os.write(fd, "second line\n");
  await os.close(fd);
}

async function reader(os: Os) {
  const fd = await os.open(PATH, O_RDONLY);
  let text = "";
  for (let chunk = await os.read(fd, 100); chunk.length > 0; chunk = await os.read(fd, 100)) {
    text += new TextDecoder().decode(chunk);
  }
  await os.close(fd);
  os.assert(text === "first line\nsecond line\n", `reader got ${JSON.stringify(text)}`);
}

export default async function main(os: Os) {
  await os.mkfifo(PATH, 0o600);
  const w = await os.fork(writer);
  const r = await os.fork(reader);
  for (const pid of [w, r]) {
    const { status } = await os.waitpid(pid, 0);
    os.assert(status && "exited" in status && status.exited === 0,
      `pid ${pid} ended with ${JSON.stringify(status)}`);
  }
  await os.unlink(PATH);
}
