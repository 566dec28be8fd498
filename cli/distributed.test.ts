// The examples of docs/distributed.md run as written, without a cluster (issue 12: "Ship and
// test a Kubernetes Indexed Job manifest and a GitHub Actions matrix example"). Each file is
// read (cli/yaml-subset.ts), checked for what makes the shards and the merge fit together, and
// its shell commands run as the system would run them: one process of the built CLI per shard
// with the JOB_COMPLETION_INDEX or matrix value it would get, then the merge. The merged
// report must be the unsharded exploration's: the same failing run and replay command.
//
// Stand-ins: a scratch directory for the image's working directory or the runner's checkout
// (with the repository's examples/), an `ipcsim` on PATH that runs dist/cli.js (the image's
// or `npm ci`'s ipcsim), and a scratch directory for the shared volume or the artifacts.

import {
  chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { spawnCommand, type Ran } from "./testing.js";
import { parseYamlDocuments, type Yaml } from "./yaml-subset.js";

/** Every temporary directory this file makes is under one, removed when the file ends. */
const TEST_TMP = mkdtempSync(join(tmpdir(), "ipcsim-dist-test-"));
afterAll(() => rmSync(TEST_TMP, { recursive: true, force: true }));

const ROOT = resolve(".");
const CLI = join(ROOT, "dist/cli.js");
type Obj = { [key: string]: Yaml };

function exec(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return spawnCommand(argv, { cwd, env });
}

/** A project directory: the repository's examples/, and node_modules/.bin/ipcsim running
 * the built CLI (what `npm ci` gives a project that depends on ipcsim). */
function project(): { dir: string; bin: string } {
  const dir = mkdtempSync(join(TEST_TMP, "ipcsim-dist-"));
  symlinkSync(join(ROOT, "examples"), join(dir, "examples"));
  const bin = join(dir, "node_modules", ".bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "ipcsim"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  chmodSync(join(bin, "ipcsim"), 0o755);
  return { dir, bin };
}

/** The unsharded exploration, text and JSON, for the merge to equal. */
async function unsharded(env: Record<string, string>) {
  const argv = [process.execPath, CLI, "explore", env.SCENARIO, "--runs", env.RUNS,
    "--seed", env.SEED];
  const [text, json] = await Promise.all([exec(argv, ROOT, process.env),
    exec([...argv, "--json"], ROOT, process.env)]);
  return { text, json: JSON.parse(json.out) as Obj };
}

/** `failure found at run N` and `replay: ...`: what the merge must repeat. */
function verdictLines(text: string): string[] {
  return text.split("\n").filter((l) => /^(replay: |verdict: )/.test(l)).concat(
    /failure found at run \d+/.exec(text)?.[0] ?? "no failure");
}

const read = (path: string) => parseYamlDocuments(readFileSync(join(ROOT, path), "utf8"));
const envOf = (c: Obj) =>
  Object.fromEntries((c.env as Obj[]).map((e) => [e.name as string, e.value as string]));

describe("docs/distributed/k8s-explore-job.yaml", () => {
  const docs = read("docs/distributed/k8s-explore-job.yaml") as Obj[];
  const pvc = docs.find((d) => d.kind === "PersistentVolumeClaim")!;
  const jobs = docs.filter((d) => d.kind === "Job");
  const spec = (d: Obj) => d.spec as Obj;
  const pod = (d: Obj) => (spec(d).template as Obj).spec as Obj;
  const container = (d: Obj) => (pod(d).containers as Obj[])[0];
  const indexed = jobs.find((j) => spec(j).completionMode === "Indexed")!;
  const merge = jobs.find((j) => j !== indexed)!;

  it("an Indexed Job of SHARDS pods and a merge Job share the results volume", () => {
    expect(jobs).toHaveLength(2);
    const N = spec(indexed).completions as number;
    for (const j of [indexed, merge]) {
      const c = container(j);
      expect(envOf(c).SHARDS).toBe(String(N));
      expect(pod(j).restartPolicy).toBe("Never");
      const mount = (c.volumeMounts as Obj[])[0];
      expect(envOf(c).RESULTS).toBe(mount.mountPath);
      const volume = (pod(j).volumes as Obj[]).find((v) => v.name === mount.name)!;
      expect((volume.persistentVolumeClaim as Obj).claimName).toBe((pvc.metadata as Obj).name);
    }
    expect((spec(pvc).accessModes as string[])).toContain("ReadWriteMany");
  });

  it("run as Kubernetes would (JOB_COMPLETION_INDEX 0..N-1), the merge is the unsharded " +
    "exploration", async () => {
    const { dir, bin } = project();
    const volume = mkdtempSync(join(TEST_TMP, "ipcsim-volume-"));
    const N = spec(indexed).completions as number;
    const pods = (j: Obj, extra: Record<string, string>) => {
      const c = container(j);
      const env = { ...process.env, ...envOf(c), RESULTS: volume, ...extra,
        PATH: `${bin}:${process.env.PATH}` };
      return exec([...(c.command as string[]), ...(c.args as string[])], dir, env);
    };
    const shards = await Promise.all(Array.from({ length: N },
      (_, i) => pods(indexed, { JOB_COMPLETION_INDEX: String(i) })));
    expect(shards.map((s) => s.code)).toEqual(Array(N).fill(0));
    expect(readdirSync(volume).filter((f) => /^shard-\d+\.json$/.test(f))).toHaveLength(N);
    const merged = await pods(merge, {});
    const whole = await unsharded(envOf(container(indexed)));
    expect(merged.code).toBe(whole.text.code);
    expect(verdictLines(merged.out)).toEqual(verdictLines(whole.text.out));
    expect(whole.json.failed).toBe(true);
    const files = readdirSync(volume).filter((f) => f.endsWith(".json"))
      .map((f) => join(volume, f));
    const j = await exec([process.execPath, CLI, "explore", "--merge", ...files, "--json"],
      dir, process.env);
    const m = JSON.parse(j.out) as Obj;
    expect(m.failure).toEqual(whole.json.failure);
    expect(m.replay).toBe(whole.json.replay);
    expect(m.runsTotal).toBe(Number(envOf(container(indexed)).RUNS));
  });
});

describe("docs/distributed/github-actions-explore.yml", () => {
  const [wf] = read("docs/distributed/github-actions-explore.yml") as Obj[];
  const jobs = wf.jobs as Obj;
  const explore = jobs.explore as Obj;
  const merge = jobs.merge as Obj;
  const matrix = ((explore.strategy as Obj).matrix as Obj).shard as number[];
  const steps = (job: Obj) => job.steps as Obj[];
  const uses = (job: Obj, action: string) =>
    steps(job).find((s) => String(s.uses).startsWith(action))!.with as Obj;

  it("a matrix of SHARDS shards uploads one artifact each; the merge downloads them all", () => {
    const env = wf.env as Record<string, string>;
    expect(matrix).toEqual(Array.from({ length: Number(env.SHARDS) }, (_, i) => i + 1));
    expect((explore.strategy as Obj)["fail-fast"]).toBe(false);
    expect(merge.needs).toBe("explore");
    const up = uses(explore, "actions/upload-artifact");
    const down = uses(merge, "actions/download-artifact");
    expect(glob(down.pattern as string).test(artifactName(up.name as string, 1))).toBe(true);
    expect(down["merge-multiple"]).toBe(true);
    expect(down.path).toBe(up.path);
  });

  it("run as GitHub would (each matrix value a fresh runner), the merge job's report is the " +
    "unsharded exploration", async () => {
    const artifacts = mkdtempSync(join(TEST_TMP, "ipcsim-artifacts-"));
    const shards = await Promise.all(matrix.map((k) => runJob(explore, k, artifacts, wf)));
    expect(shards.map((s) => s.code)).toEqual(matrix.map(() => 0));
    expect(readdirSync(artifacts)).toHaveLength(matrix.length);
    const merged = await runJob(merge, undefined, artifacts, wf);
    const whole = await unsharded(wf.env as Record<string, string>);
    expect(merged.code).toBe(whole.text.code);
    expect(merged.code).toBe(1);
    expect(verdictLines(merged.out)).toEqual(verdictLines(whole.text.out));
  });
});

const artifactName = (name: string, shard: number) =>
  name.replace("${{ matrix.shard }}", String(shard));

/** An artifact pattern (`shard-*`) as a RegExp. */
const glob = (pattern: string) =>
  new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*")}$`);

/** `${{ matrix.shard }}` in a step's env, the only expression the workflow's commands use. */
function expand(v: Yaml, shard: number | undefined): string {
  const s = String(v);
  const out = shard === undefined ? s : artifactName(s, shard);
  if (out.includes("${{")) throw new Error(`an expression this test cannot expand: ${s}`);
  return out;
}

/** One job on a fresh runner: its `run` steps in order under `bash -e` (GitHub's default
 * shell), GITHUB_PATH honoured; checkout/setup-node are the project stand-in, `npm ci` its
 * ipcsim; upload/download-artifact copy to and from `artifacts`. The last step's result. */
async function runJob(job: Obj, shard: number | undefined, artifacts: string, wf: Obj) {
  const { dir } = project();
  const githubPath = join(dir, "..", `${dir.split("/").pop()}.path`);
  writeFileSync(githubPath, "");
  let last: Ran = { code: 0, out: "", err: "" };
  for (const step of job.steps as Obj[]) {
    const action = String(step.uses ?? "");
    const w = (step.with ?? {}) as Obj;
    if (action.startsWith("actions/upload-artifact")) {
      cpSync(join(dir, w.path as string), join(artifacts, expand(w.name, shard)),
        { recursive: true });
    } else if (action.startsWith("actions/download-artifact")) {
      for (const a of readdirSync(artifacts).filter((n) => glob(w.pattern as string).test(n))) {
        cpSync(join(artifacts, a), join(dir, w.path as string), { recursive: true });
      }
    } else if (step.run !== undefined && step.run !== "npm ci") {
      const stepEnv = Object.fromEntries(Object.entries((step.env ?? {}) as Obj)
        .map(([k, v]) => [k, expand(v, shard)]));
      const added = readFileSync(githubPath, "utf8").split("\n").filter(Boolean).reverse();
      const env = { ...process.env, ...(wf.env as Obj) as Record<string, string>, ...stepEnv,
        GITHUB_PATH: githubPath, PATH: [...added, process.env.PATH].join(":") };
      last = await exec(["bash", "-e", "-c", step.run as string], dir, env);
      if (last.code !== 0) return last;
    }
  }
  return last;
}
