// Two processes append to one log file. Each opens it with O_APPEND and writes whole lines;
// on Linux (and tmpfs) every O_APPEND write goes to the end of the file atomically, so the
// lines of the two writers interleave in some order but never break or overwrite each other,
// whatever the schedule. The parent reads the log back and checks every line is whole.
//
//   npx ipcsim run examples/log-append.ts

import { O_APPEND, O_CREAT, O_RDONLY, O_WRONLY, type Os } from "ipcsim";

const LINES = 3;

export default async function main(os: Os) {
  const logger = (name: string) => async (os: Os) => {
    const fd = await os.open("app.log", O_WRONLY | O_CREAT | O_APPEND, 0o644);
    for (let i = 0; i < LINES; i++) await os.write(fd, `${name} line ${i}\n`);
    await os.close(fd);
  };
  const a = await os.fork(logger("alpha"));
  const b = await os.fork(logger("bravo"));
  await os.waitpid(a);
  await os.waitpid(b);
  const fd = await os.open("app.log", O_RDONLY);
  const text = new TextDecoder().decode(await os.read(fd, 4096));
  await os.close(fd);
  const lines = text.split("\n").filter((l) => l !== "");
  os.assert(lines.length === 2 * LINES, `${lines.length} lines, expected ${2 * LINES}`);
  for (const l of lines) os.assert(/^(alpha|bravo) line \d$/.test(l), `a torn line: ${l}`);
  os.log(text.trimEnd());
  await os.unlink("app.log");
}
