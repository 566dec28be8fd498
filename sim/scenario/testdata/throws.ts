// A scenario whose child throws a TypeError at a known line (line 12, column 3: the call of
// `notAFunction`), and whose main logs import.meta.url (load.test.ts: the verdict names the
// type, this file and line; import.meta.url names this file, not the bundle).
import type { Os } from "ipcsim";

interface Config {
  notAFunction: unknown;
}

function child(config: Config): void {
  const f = config.notAFunction as () => void;
  f();
}

export default async function main(os: Os) {
  os.log(import.meta.url);
  const pid = await os.fork(async (c) => {
    await c.getppid();
    child({ notAFunction: 42 });
  });
  await os.waitpid(pid);
}
