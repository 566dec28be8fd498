// What the CLI's tests share: the CLI run in this process (main with an Io that keeps what it
// prints), and a command run as its own process (the built CLI, or a shell), with its output.

import { spawn, type SpawnOptions } from "node:child_process";
import { main, type Io } from "./cli.js";

/** How a command ended and what it printed (each stdout line ends with "\n"). */
export interface Ran { code: number; out: string; err: string }

/** `ipcsim ...argv` in this process. */
export async function cliInProcess(...argv: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (l) => out.push(l + "\n"), write: (t) => out.push(t), err: (l) => err.push(l),
  };
  const code = await main(argv, io);
  return { code, out: out.join(""), err: err.join("\n") };
}

/** argv[0] with the rest as arguments, as its own process; stdin closed. */
export function spawnCommand(argv: string[], opts: SpawnOptions = {}): Promise<Ran> {
  return new Promise((done, fail) => {
    const p = spawn(argv[0], argv.slice(1), { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout!.on("data", (b: Buffer) => { out += b; });
    p.stderr!.on("data", (b: Buffer) => { err += b; });
    p.on("error", fail);
    p.on("close", (code) => done({ code: code ?? -1, out, err }));
  });
}
