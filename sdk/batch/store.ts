/**
 * The batch's output root on disk, shared by every worker:
 *
 * ```
 * DIR/batch-jobs.json          the expanded plan (every job of the last `dgrn batch`)
 * DIR/jobs/<id>/               one complete job: results.json, report.html, timings.json, config.json, job.json
 * DIR/jobs/.tmp-<id>-…/        a job being written (renamed to jobs/<id> when complete)
 * DIR/failures/<id>.json       the last failure of a job that has no result
 * DIR/batch.json|csv|html      the collection
 * ```
 *
 * A job folder appears by one `rename` of a complete sibling folder, so a
 * reader sees either nothing or every file; when two workers finish the same
 * job, the second rename fails (the target exists) and its copy is discarded:
 * no result is ever written twice or half.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DgrnFormatError, DgrnIOError } from "../targets/node.js";
import type { BatchJob } from "./plan.js";

export const MANIFEST_SCHEMA = "dgrn-batch-jobs/1";

/** The folder of a job's result. */
export const jobDir = (out: string, id: string) => join(out, "jobs", id);
/** The file of a job's last failure. */
export const failurePath = (out: string, id: string) => join(out, "failures", `${id}.json`);

/** A failed job's record (DIR/failures/<id>.json). */
export interface JobFailure {
  id: string;
  label: string;
  params: Record<string, unknown>;
  /** The one-line error, as `dgrn run` prints it (`message [CODE]`). */
  error: string;
  code: string | null;
  attempts: number;
  at: string;
}

/** Whether a job has a complete result. */
export async function isDone(out: string, id: string): Promise<boolean> {
  try {
    await stat(join(jobDir(out, id), "results.json"));
    return true;
  } catch {
    return false;
  }
}

/**
 * Write a job's files as one folder, atomically: into a temporary sibling,
 * then one rename.
 *
 * @param out - the output root
 * @param id - the job id
 * @param files - file name → content
 * @returns `"written"`, or `"exists"` when another worker's complete copy was already there (ours is discarded)
 * @throws {DgrnIOError} when the folder cannot be written
 */
export async function writeJobDir(
  out: string,
  id: string,
  files: Record<string, string>,
): Promise<"written" | "exists"> {
  const jobs = join(out, "jobs");
  const final = jobDir(out, id);
  const tmp = join(jobs, `.tmp-${id}-${hostname()}-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(tmp, { recursive: true });
    for (const [name, data] of Object.entries(files)) await writeFile(join(tmp, name), data);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    throw new DgrnIOError(`cannot write job ${id.slice(0, 12)} under ${jobs}: ${(e as Error).message}`, { cause: e });
  }
  try {
    await rename(tmp, final);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    await rm(tmp, { recursive: true, force: true }).catch(() => {});
    if (code === "ENOTEMPTY" || code === "EEXIST" || code === "EISDIR" || code === "ENOTDIR") return "exists";
    throw new DgrnIOError(`cannot move job ${id.slice(0, 12)} into ${final}: ${(e as Error).message}`, { cause: e });
  }
  await rm(failurePath(out, id), { force: true }).catch(() => {});
  return "written";
}

/** Write a small file atomically (temporary name, then rename). */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const dir = join(path, "..");
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Record a job's final failure (replaces an earlier one). */
export async function writeFailure(out: string, f: JobFailure): Promise<void> {
  await writeFileAtomic(failurePath(out, f.id), JSON.stringify(f, null, 1) + "\n");
}

/** Read a job's failure record, or null. */
export async function readFailure(out: string, id: string): Promise<JobFailure | null> {
  try {
    return JSON.parse(await readFile(failurePath(out, id), "utf8")) as JobFailure;
  } catch {
    return null;
  }
}

/** The manifest: the jobs of the batch last started into this root. */
export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  plan: string;
  kernelSha256: string;
  /** `local` or the Redis URL (without credentials) and queue. */
  mode: { kind: "local"; workers: number } | { kind: "redis"; url: string; queue: string };
  gridKeys: string[];
  jobs: BatchJob[];
}

export async function writeManifest(out: string, m: Manifest): Promise<void> {
  await writeFileAtomic(join(out, "batch-jobs.json"), JSON.stringify(m, null, 1) + "\n");
}

/**
 * Read DIR/batch-jobs.json.
 *
 * @throws {DgrnIOError} when there is none (no `dgrn batch` was started into DIR)
 * @throws {DgrnFormatError} when it is not a manifest
 */
export async function readManifest(out: string): Promise<Manifest> {
  const path = join(out, "batch-jobs.json");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new DgrnIOError(
      `no batch in ${out}: cannot read ${path} (start one with \`dgrn batch --plan PLAN.json --out ${out}\`)`,
      { cause: e },
    );
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (e) {
    throw new DgrnFormatError(`${path} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (m?.schema !== MANIFEST_SCHEMA || !Array.isArray(m.jobs))
    throw new DgrnFormatError(`${path} is not a dgrn batch manifest (schema ${MANIFEST_SCHEMA})`);
  return m;
}

/** Temporary job folders left by killed workers (dot-prefixed; never read as results). */
export async function leftovers(out: string): Promise<string[]> {
  try {
    return (await readdir(join(out, "jobs"))).filter((n) => n.startsWith(".tmp-"));
  } catch {
    return [];
  }
}
