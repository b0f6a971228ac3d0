/**
 * Batch plans: a base pipeline configuration, a list of inputs and a grid of
 * options, expanded to one job per input × grid point.
 *
 * ```json
 * { "base": { "tn": { "maxBond": 8 } },
 *   "inputs": ["a.nwb", "recs/*.csv", { "simulate": { "duration": 5 } }],
 *   "grid": { "seed": [1, 2, 3], "fraction": [0.5, 1], "lrg.rule": ["modes", "rho"] } }
 * ```
 *
 * A grid key is a pipeline configuration path (`"lrg.rule"` sets
 * `config.lrg.rule`). A `{ "simulate": {…} }` input runs the embedded LIF
 * simulator with those overrides (merged over `base.simulate`; grid keys are
 * applied last). Paths and globs are relative to the plan file.
 *
 * A job's id is the sha256 of its input (bytes and file name), its resolved
 * configuration (every default filled in, keys sorted) and the kernel's
 * sha256: the same job gets the same id on every machine, a rerun skips what
 * is done, and a changed input, option or kernel is a new job.
 *
 * Node only (reads files, hashes with node:crypto). Used by `dgrn batch`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import {
  DgrnFormatError,
  DgrnIOError,
  DgrnRangeError,
  DgrnTypeError,
  ErrorCode,
  lifConfig,
  resolvePipelineConfig,
} from "../targets/node.js";
import { message } from "../validate.js";

/** A plan as written in PLAN.json. */
export interface BatchPlan {
  /** Pipeline configuration shared by every job (any subset of PipelineConfig, without `input`). */
  base?: Record<string, unknown>;
  /** Recordings (paths or globs, relative to the plan) and simulator runs (`{ simulate: {…} }`). */
  inputs: Array<string | { simulate: Record<string, unknown> }>;
  /** Option values to sweep: config path → list of values. Jobs = inputs × the Cartesian product. */
  grid?: Record<string, unknown[]>;
}

/** What a job reads: a recording (absolute path) or the simulator. */
export type JobInput =
  { kind: "file"; path: string; name: string; sha256: string; bytes: number } | { kind: "simulate" };

/** One job of a batch: everything a worker needs, as JSON. */
export interface BatchJob {
  /** sha256 hex of input + resolved config + kernel sha256. */
  id: string;
  /** Short human label of the input: the file's path relative to the plan, or `simulate#k`. */
  label: string;
  input: JobInput;
  /** The grid point: config path → value (empty without a grid). */
  params: Record<string, unknown>;
  /** The pipeline configuration of this job (without the recording), as `dgrn run --config` takes it. */
  config: Record<string, unknown>;
  /** The kernel the id was computed for. */
  kernelSha256: string;
}

const PLAN_KEYS = ["base", "inputs", "grid"];
const GLOB_CHARS = /[*?[]/;

/** JSON with object keys sorted at every level: the canonical text hashed into job ids. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Deep merge of plain objects (b wins; arrays and scalars replace). */
function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : clone(v);
  return out;
}

/**
 * Set `obj[a][b]…` for the dotted path `"a.b"`, creating objects on the way.
 *
 * @param obj - the configuration to change (in place)
 * @param path - dotted config path, e.g. `"lrg.rule"`
 * @param value - the value to put there
 * @throws {DgrnRangeError} `ERR_INVALID_OPTION` when the path crosses a non-object value or has an empty part
 * @example
 * ```ts
 * const c = {}; setPath(c, "lrg.rule", "rho"); // c = { lrg: { rule: "rho" } }
 * ```
 */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  if (parts.some((p) => p === "" || p === "__proto__" || p === "constructor" || p === "prototype")) {
    throw new DgrnRangeError(
      message(`plan.grid key`, "a dotted config path like `lrg.rule`", path),
      ErrorCode.INVALID_OPTION,
    );
  }
  let o = obj;
  for (const p of parts.slice(0, -1)) {
    if (o[p] === undefined || o[p] === null) o[p] = {};
    if (!isPlainObject(o[p]))
      throw new DgrnRangeError(
        message(`plan.grid["${path}"]`, `a path through objects, but \`${p}\` is not one`, o[p]),
        ErrorCode.INVALID_OPTION,
      );
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = clone(value);
}

/**
 * Check a parsed plan's shape.
 *
 * @param value - the parsed JSON of PLAN.json
 * @returns the same plan, typed
 * @throws {DgrnTypeError | DgrnRangeError} for a plan of the wrong shape (unknown key, no inputs, an empty grid list, …)
 */
export function checkPlan(value: unknown): BatchPlan {
  if (!isPlainObject(value)) throw new DgrnTypeError(message("plan", "an object { base, inputs, grid }", value));
  for (const k of Object.keys(value))
    if (!PLAN_KEYS.includes(k))
      throw new DgrnRangeError(message("plan", `keys among ${PLAN_KEYS.join(", ")}`, k), ErrorCode.INVALID_OPTION);
  const { base, inputs, grid } = value as Record<string, unknown>;
  if (base !== undefined && !isPlainObject(base))
    throw new DgrnTypeError(message("plan.base", "an object (a pipeline configuration)", base));
  if (isPlainObject(base) && "input" in base)
    throw new DgrnRangeError(
      message("plan.base.input", "absent: recordings go in plan.inputs", "(an input)"),
      ErrorCode.INVALID_OPTION,
    );
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new DgrnTypeError(message("plan.inputs", "a non-empty array of paths, globs or { simulate: {…} }", inputs));
  inputs.forEach((x, i) => {
    if (typeof x === "string" && x.length > 0) return;
    if (isPlainObject(x) && Object.keys(x).length === 1 && isPlainObject(x["simulate"])) return;
    throw new DgrnTypeError(message(`plan.inputs[${i}]`, "a path, a glob, or { simulate: {…} }", x));
  });
  if (grid !== undefined) {
    if (!isPlainObject(grid))
      throw new DgrnTypeError(message("plan.grid", "an object: config path → list of values", grid));
    for (const [k, v] of Object.entries(grid)) {
      if (!Array.isArray(v) || v.length === 0)
        throw new DgrnTypeError(message(`plan.grid["${k}"]`, "a non-empty array of values", v));
      if (k === "input" || k.startsWith("input."))
        throw new DgrnRangeError(
          message(`plan.grid["${k}"]`, "a config path other than `input` (recordings go in plan.inputs)", k),
          ErrorCode.INVALID_OPTION,
        );
    }
  }
  return value as unknown as BatchPlan;
}

/** Glob pattern (`*`, `?`, `[…]`, `**`) → RegExp on a `/`-separated relative path. */
function globRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        re += pattern[i + 2] === "/" ? "(?:.*/)?" : ".*";
        i += pattern[i + 2] === "/" ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const j = pattern.indexOf("]", i + 1);
      if (j < 0) re += "\\[";
      else {
        re += `[${pattern
          .slice(i + 1, j)
          .replace(/^!/, "^")
          .replace(/\\/g, "\\\\")}]`;
        i = j;
      }
    } else re += /[.+^${}()|\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

async function walk(dir: string, deep: boolean, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (deep) out.push(...(await walk(join(dir, e.name), deep, rel)));
    } else if (e.isFile() || e.isSymbolicLink()) out.push(rel);
  }
  return out;
}

/**
 * Expand one glob (relative to `root`, or absolute) to the files it matches, sorted.
 *
 * @param pattern - a path or a glob with `*`, `?`, `[…]` and `**`
 * @param root - the directory relative patterns start from
 * @returns absolute paths, sorted; empty when nothing matches
 */
export async function expandGlob(pattern: string, root: string): Promise<string[]> {
  const abs = isAbsolute(pattern) ? pattern : join(root, pattern);
  const parts = abs.split(sep);
  const first = parts.findIndex((p) => GLOB_CHARS.test(p));
  if (first < 0) return [abs];
  const dir = parts.slice(0, first).join(sep) || sep;
  const rest = parts.slice(first).join("/");
  const re = globRegExp(rest);
  const files = await walk(dir, rest.includes("**") || rest.includes("/"));
  return files
    .filter((f) => re.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Every grid point, in a fixed order (keys as written, values as listed; the last key varies fastest). */
export function gridPoints(grid: Record<string, unknown[]> | undefined): Record<string, unknown>[] {
  let points: Record<string, unknown>[] = [{}];
  for (const [k, values] of Object.entries(grid ?? {}))
    points = points.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  return points;
}

/**
 * Hash a job: sha256 over the input's sha256 and file name, the resolved
 * configuration in canonical JSON, and the kernel's sha256.
 *
 * @param input - the job's input
 * @param resolved - the output of resolvePipelineConfig (without input)
 * @param kernelSha256 - the kernel's sha256 hex
 * @returns 64 hex characters
 */
export function jobId(input: JobInput, resolved: unknown, kernelSha256: string): string {
  const h = createHash("sha256");
  h.update("dgrn-batch-job/1\n");
  h.update(input.kind === "file" ? `file ${input.sha256} ${input.name}\n` : "simulate\n");
  h.update(canonicalJson(resolved) + "\n");
  h.update(`kernel ${kernelSha256}\n`);
  return h.digest("hex");
}

/**
 * Read and expand a plan file into jobs (reads and hashes every input file;
 * validates every job's configuration before anything runs).
 *
 * @param planPath - path of PLAN.json
 * @param kernelSha256 - the kernel's sha256 (from `getKernel().info.sha256`)
 * @returns the jobs, in plan order (inputs × grid points), without duplicates
 * @throws {DgrnIOError} when the plan or an input cannot be read, or a pattern matches no file
 * @throws {DgrnFormatError} when the plan is not JSON
 * @throws {DgrnTypeError | DgrnRangeError} for a bad plan or a job configuration the pipeline rejects
 * @example
 * ```ts
 * const jobs = await expandPlanFile("plan.json", getKernel().info.sha256!);
 * jobs.map((j) => j.id.slice(0, 12));
 * ```
 */
export async function expandPlanFile(planPath: string, kernelSha256: string): Promise<BatchJob[]> {
  let text: string;
  try {
    text = await readFile(planPath, "utf8");
  } catch (e) {
    throw new DgrnIOError(`cannot read --plan ${planPath}: ${(e as Error).message}`, { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DgrnFormatError(`--plan ${planPath} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  return expandPlan(checkPlan(value), dirname(resolve(planPath)), kernelSha256);
}

/**
 * Expand a checked plan into jobs.
 *
 * @param plan - a plan (see {@link checkPlan})
 * @param root - directory that relative input paths and globs start from
 * @param kernelSha256 - the kernel's sha256
 * @returns the jobs, in plan order, duplicates (same id) removed
 * @throws see {@link expandPlanFile}
 */
export async function expandPlan(plan: BatchPlan, root: string, kernelSha256: string): Promise<BatchJob[]> {
  const base = (plan.base ?? {}) as Record<string, unknown>;
  const points = gridPoints(plan.grid);
  const sources: Array<{ label: string; input: JobInput; simulate?: Record<string, unknown> }> = [];
  let nSim = 0;
  for (const item of plan.inputs) {
    if (typeof item !== "string") {
      sources.push({ label: `simulate#${++nSim}`, input: { kind: "simulate" }, simulate: item.simulate });
      continue;
    }
    const files = await expandGlob(item, root);
    if (files.length === 0) throw new DgrnIOError(`plan input \`${item}\` matches no file (relative to ${root})`);
    for (const path of files) {
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (e) {
        throw new DgrnIOError(`cannot read plan input \`${path}\`: ${(e as Error).message}`, { cause: e });
      }
      const rel = relative(root, path);
      sources.push({
        label: rel.startsWith("..") || isAbsolute(rel) ? path : rel.split(sep).join("/"),
        input: {
          kind: "file",
          path,
          name: basename(path),
          sha256: createHash("sha256").update(bytes).digest("hex"),
          bytes: bytes.byteLength,
        },
      });
    }
  }
  const jobs: BatchJob[] = [];
  const seen = new Set<string>();
  for (const src of sources) {
    for (const params of points) {
      let config = clone(base);
      if (src.simulate) config = merge(config, { simulate: src.simulate });
      for (const [k, v] of Object.entries(params)) setPath(config, k, v);
      let resolved;
      try {
        resolved = resolvePipelineConfig(config);
        // the simulator's options are checked when it runs; check them now, before anything is enqueued
        if (src.input.kind === "simulate")
          lifConfig({ ...resolved.simulate, seed: resolved.simulate.seed ?? resolved.seed });
      } catch (e) {
        const where = `${src.label}${Object.keys(params).length ? ` at ${canonicalJson(params)}` : ""}`;
        if (e instanceof Error) e.message = `plan job ${where}: ${e.message}`;
        throw e;
      }
      const id = jobId(src.input, resolved, kernelSha256);
      if (seen.has(id)) continue;
      seen.add(id);
      jobs.push({ id, label: src.label, input: src.input, params, config, kernelSha256 });
    }
  }
  return jobs;
}
