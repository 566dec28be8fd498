// Where the host bridge's agent binary comes from, and how it is compiled.
//
// In the repository, `npm run build` compiles host-bridge/agent/agent.c (which includes the other
// .c files) into host-bridge/build/ipcsim-agent, and that copy is used. An installed package
// ships the C sources instead (package.json "files"), and the first use compiles them with the
// system `cc` (or $CC) into a per-user cache: $XDG_CACHE_HOME/ipcsim/ or ~/.cache/ipcsim/, in a
// directory named after a hash of the sources, the flags and the compiler, so a new version of
// the package gets a new agent and an old one is never run by mistake. The compiler writes a
// temporary name that is then renamed into place: two first uses at once both compile, and
// each rename installs a whole binary. $IPCSIM_AGENT names a binary to use instead of all this.
//
// Only node built-ins here: scripts/build.mjs imports this module for AGENT_CFLAGS.

import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/** The agent's compiler flags: the repository build and the first-use build both use these. */
export const AGENT_CFLAGS: readonly string[] = ["-O2", "-Wall", "-Wextra", "-std=gnu11"];
/** The agent's one translation unit, in its source directory. */
const AGENT_MAIN = "agent.c";
const AGENT_NAME = "ipcsim-agent";
/** Where a missing compiler comes from, for the message. */
const CC_PACKAGE = "Debian/Ubuntu: apt-get install gcc";

/** The arguments of `cc` that compile the sources in `srcDir` into `out`. */
export function agentCcArgs(srcDir: string, out: string): string[] {
  return [...AGENT_CFLAGS, "-o", out, join(srcDir, AGENT_MAIN)];
}

/** Where to look for the agent, in order (host.ts fills this in from its own location). */
export interface AgentPlaces {
  /** $IPCSIM_AGENT: used as it is, never built. */
  override?: string | undefined;
  /** Built binaries (the repository's host-bridge/build/ipcsim-agent): the first that exists. */
  built: readonly string[];
  /** Directories holding the agent's C sources: the first that has agent.c is compiled. */
  sources: readonly string[];
  /** The per-user cache directory (cacheDir()). */
  cacheDir: string;
  /** The C compiler (default $CC, else cc). */
  cc?: string | undefined;
}

export type AgentFound = { ok: true; path: string } | { ok: false; reason: string };

/** $XDG_CACHE_HOME/ipcsim, or ~/.cache/ipcsim (an XDG_CACHE_HOME that is not absolute is
 * ignored, as the XDG base directory specification says). */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache"), "ipcsim");
}

/** The agent binary to run: $IPCSIM_AGENT, else a built one, else one compiled from the sources
 * into the cache (compiled now if it is not there yet). Never throws: a failure is a reason. */
export function findAgent(places: AgentPlaces): AgentFound {
  if (places.override) {
    if (existsSync(places.override)) return { ok: true, path: places.override };
    return { ok: false, reason: `$IPCSIM_AGENT names ${places.override}, which does not exist` };
  }
  const built = places.built.find((p) => existsSync(p));
  if (built) return { ok: true, path: built };
  const src = places.sources.find((d) => existsSync(join(d, AGENT_MAIN)));
  if (!src) {
    return {
      ok: false,
      reason: "the host bridge's agent is not built and its C sources are not here " +
        `(looked for ${[...places.built, ...places.sources].join(", ")}): ` +
        "run `npm run build` in the repository, or reinstall the package",
    };
  }
  return cachedAgent(src, places.cacheDir, places.cc ?? (process.env.CC || "cc"));
}

/** The agent compiled from `srcDir` in `cache`, compiling it if it is not there. */
export function cachedAgent(srcDir: string, cache: string, cc: string): AgentFound {
  const dir = join(cache, `agent-${sourceHash(srcDir, cc)}`);
  const out = join(dir, AGENT_NAME);
  if (existsSync(out)) return { ok: true, path: out };
  const tmp = `${out}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    return { ok: false, reason: buildFailure(e, cc, srcDir, dir) };
  }
  try {
    execFileSync(cc, agentCcArgs(srcDir, tmp), { stdio: ["ignore", "ignore", "pipe"] });
    renameSync(tmp, out);
    return { ok: true, path: out };
  } catch (e) {
    rmSync(tmp, { force: true });
    return { ok: false, reason: buildFailure(e, cc, srcDir, dir) };
  }
}

/** One line (or a compiler's messages) saying why the first-use build failed and what to do. */
function buildFailure(e: unknown, cc: string, srcDir: string, dir: string): string {
  const err = e as NodeJS.ErrnoException & { stderr?: Buffer; syscall?: string };
  const first = `the host bridge compiles its agent (${srcDir}) on first use`;
  if (err.code === "ENOENT" && err.syscall?.startsWith("spawn")) {
    return `${first} and needs a C compiler: \`${cc}\` was not found ` +
      `(${CC_PACKAGE}; or set $CC to a compiler, or $IPCSIM_AGENT to a built agent)`;
  }
  if (err.code === "EACCES" || err.code === "EROFS" || err.code === "ENOTDIR") {
    return `${first} into ${dir}, which cannot be written (${err.code}): ` +
      "set $XDG_CACHE_HOME to a writable directory, or $IPCSIM_AGENT to a built agent";
  }
  const output = err.stderr?.toString().trim() ?? String(e);
  return `${first}, and \`${cc} ${agentCcArgs(srcDir, join(dir, AGENT_NAME)).join(" ")}\` ` +
    `failed (${CC_PACKAGE} brings a compiler and the C library headers):\n${output}`;
}

/** A hash of the agent's sources (every .c and .h), its flags and the compiler's name. */
export function sourceHash(srcDir: string, cc: string): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([cc, AGENT_CFLAGS]));
  const files = readdirSync(srcDir).filter((f) => /\.[ch]$/.test(f)).sort();
  for (const f of files) h.update(`\0${f}\0`).update(readFileSync(join(srcDir, f)));
  return h.digest("hex").slice(0, 16);
}
