/**
 * Output writing for the CLI: the one rule every command follows.
 *
 * 1. **Check the output path before computing** ({@link checkOutputPath}): a
 *    file output that names a directory, a directory output that names a file,
 *    a path under a file, or a place nobody can write (`/proc/x`) is a one-line
 *    `ERR_IO` error before any work. (No `mkdir -p` of unknown paths: Node's
 *    recursive mkdir loops forever under /proc.)
 * 2. **Write to temporary names and rename into place**: single files through
 *    {@link writeAtomic}, sets of files through {@link writeFileSet} (all
 *    temporaries first, then the renames, the file others depend on last),
 *    and `dgrn run`'s directory through {@link OutputDir}: the set is written
 *    into a fresh hidden sibling directory `.NAME.run-ID/`, and `NAME` is a
 *    symbolic link that one `rename(2)` swaps to it, so `NAME` always shows
 *    either the previous complete set or the new one (kill -9 included).
 * 3. **Remove temporaries on every exit path**: errors (`finally`), normal exit,
 *    and SIGINT/SIGTERM/SIGHUP (handlers installed only while temporaries
 *    exist). After a `kill -9` the leftovers are hidden siblings that the next
 *    run into the same directory removes.
 * 4. **Lock**: `.NAME.lock` (created exclusively, holding the pid) so two runs
 *    cannot interleave one directory; a lock whose process is gone is stale
 *    and taken over.
 *
 * @module
 */
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { DgrnIOError } from "../errors.js";

// --- temporaries: removed on every exit path -----------------------------------

const temps = new Set<string>();
let handlersInstalled = false;

function cleanupSync(): void {
  for (const p of temps) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // best effort: the next run removes hidden leftovers
    }
  }
  temps.clear();
}

function onSignal(sig: NodeJS.Signals): void {
  cleanupSync();
  const n = sig === "SIGINT" ? 2 : sig === "SIGHUP" ? 1 : 15;
  process.stderr.write(`dgrn: interrupted by ${sig}; temporary output removed [ERR_IO]\n`);
  process.exit(128 + n);
}

function track(p: string): void {
  temps.add(p);
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.on("exit", cleanupSync);
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(s, onSignal);
  }
}

function untrack(p: string): void {
  temps.delete(p);
  if (temps.size === 0 && handlersInstalled) {
    handlersInstalled = false;
    process.off("exit", cleanupSync);
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.off(s, onSignal);
  }
}

/** Temporaries currently tracked (for tests). */
export function pendingTemporaries(): string[] {
  return [...temps];
}

const tmpName = (path: string, tag: string): string =>
  join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${Math.floor(performance.now() * 1000) % 1e9}`);

function ioError(flag: string, path: string, what: string, cause?: unknown): DgrnIOError {
  const why = cause && typeof cause === "object" && "code" in cause ? ` (${(cause as { code: string }).code})` : "";
  return new DgrnIOError(`cannot write \`${flag}\` ${path}: ${what}${why}`, { cause: cause });
}

// --- 1. checking a path before computing ----------------------------------------

/** lstat without throwing: undefined when the path does not exist. */
function lstatOrNone(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined; // ENOTDIR: under a file (found by the ancestor walk)
    throw e;
  }
}

/**
 * Check an output path before any work: it must not be a directory (for a file
 * output) or a file (for a directory output), must not lie under a file, and
 * its nearest existing ancestor must accept a new file (probed by creating and
 * removing one).
 *
 * @param flag - the flag, for the message (e.g. "--out")
 * @param path - the path given
 * @param kind - "file" (a single output file) or "dir" (dgrn run's directory)
 * @throws {DgrnIOError} `ERR_IO`, one line, naming the flag, the path and the reason
 * @example
 * ```ts
 * checkOutputPath("--out", "graph.json", "file");
 * ```
 */
export function checkOutputPath(flag: string, path: string, kind: "file" | "dir"): void {
  if (typeof path !== "string" || path.trim() === "") throw ioError(flag, String(path), "an empty path");
  if (path.includes("\0")) throw ioError(flag, JSON.stringify(path), "the path contains a NUL byte");
  const abs = resolve(path);
  let st: ReturnType<typeof lstatSync> | undefined;
  try {
    st = lstatOrNone(abs);
  } catch (e) {
    throw ioError(flag, path, "the path cannot be examined", e);
  }
  if (st) {
    // a dangling link of our own (its set removed by hand) is replaced like any previous set
    const ours = kind === "dir" && st.isSymbolicLink() && readlinkSync(abs).startsWith(`.${basename(abs)}.run-`);
    const isDir = st.isDirectory() || (st.isSymbolicLink() && (isDirTarget(abs) || ours));
    if (kind === "file" && isDir) throw ioError(flag, path, "it is an existing directory; give a file name");
    if (kind === "dir" && !isDir) throw ioError(flag, path, "it exists and is not a directory");
    if (kind === "file" && !st.isFile() && !st.isSymbolicLink())
      throw ioError(flag, path, "it exists and is not a regular file");
  }
  // the nearest existing ancestor must be a directory that accepts a new file
  let anc = dirname(abs);
  for (;;) {
    let a: ReturnType<typeof lstatSync> | undefined;
    try {
      a = lstatOrNone(anc);
    } catch (e) {
      throw ioError(flag, path, `${anc} cannot be examined`, e);
    }
    if (a) {
      if (!(a.isDirectory() || (a.isSymbolicLink() && isDirTarget(anc))))
        throw ioError(flag, path, `${anc} is a file, not a directory`);
      break;
    }
    const up = dirname(anc);
    if (up === anc) break;
    anc = up;
  }
  const probe = join(anc, `.dgrn-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, "wx"));
    unlinkSync(probe);
  } catch (e) {
    if ((e as { code?: string }).code !== "EEXIST") throw ioError(flag, path, `cannot create files in ${anc}`, e);
  }
}

function isDirTarget(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Create `dir` and its missing parents one level at a time (never Node's recursive mkdir). */
function mkdirs(flag: string, dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!lstatOrNone(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (e) {
      if ((e as { code?: string }).code !== "EEXIST")
        throw ioError(flag, dir, `cannot create directory ${missing[i]}`, e);
    }
  }
}

// --- 2. single files and sets of files ------------------------------------------

/** Write `data` to a new file in chunks of 1 MiB; `afterFirstChunk` runs once when more remains (tests kill there). */
function writeAll(path: string, data: string | Uint8Array, afterFirstChunk?: () => void): void {
  const fd = openSync(path, "wx");
  try {
    const buf = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    let off = 0;
    while (off < buf.length) {
      off += writeSync(fd, buf, off, Math.min(1 << 20, buf.length - off));
      if (afterFirstChunk && off < buf.length) {
        afterFirstChunk();
        afterFirstChunk = undefined;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Write a set of files atomically file by file and as a set as far as the
 * filesystem allows: every file goes to a temporary sibling first; only when
 * all are written are they renamed into place, in the given order (put the
 * file the others depend on last: a reader that sees it sees the rest). On
 * any failure the temporaries are removed and nothing is renamed.
 *
 * @param files - `{ path, data }` in rename order
 * @param flag - the flag the paths came from, for messages (default "--out")
 * @throws {DgrnIOError} `ERR_IO` when a file cannot be written or renamed
 * @example
 * ```ts
 * writeFileSet([{ path: "s.npy.truth.json", data: truth }, { path: "s.npy", data: bytes }]);
 * ```
 */
export function writeFileSet(files: ReadonlyArray<{ path: string; data: string | Uint8Array }>, flag = "--out"): void {
  const staged: Array<[string, string]> = [];
  try {
    for (const f of files) {
      checkOutputPath(flag, f.path, "file");
      mkdirs(flag, dirname(resolve(f.path)));
      const tmp = tmpName(resolve(f.path), "tmp");
      track(tmp);
      staged.push([tmp, f.path]);
      try {
        writeAll(tmp, f.data);
      } catch (e) {
        throw ioError(flag, f.path, "write failed", e);
      }
    }
    for (const [tmp, path] of staged) {
      try {
        renameSync(tmp, path);
      } catch (e) {
        throw ioError(flag, path, "rename into place failed", e);
      }
      untrack(tmp);
    }
  } finally {
    for (const [tmp] of staged) {
      if (temps.has(tmp)) {
        rmSync(tmp, { force: true });
        untrack(tmp);
      }
    }
  }
}

/**
 * Write one file atomically: to a temporary sibling, then rename, so a crash
 * never leaves a partial file under the real name and no temporary survives
 * an error or a signal.
 *
 * @param path - the destination
 * @param data - its content
 * @param flag - the flag the path came from (default "--out")
 * @throws {DgrnIOError} `ERR_IO` (a directory, a path under a file, no permission, …)
 */
export async function writeAtomic(path: string, data: string | Uint8Array, flag = "--out"): Promise<void> {
  writeFileSet([{ path, data }], flag);
}

// --- 3. dgrn run's output directory ---------------------------------------------

/** Names a previous (pre-link) dgrn run directory may hold. */
const LEGACY = /^(results\.json|timings\.json|report\.html)(\.tmp-\d+)?$/;

/** Steps of {@link OutputDir.commit}, in order (tests kill the process at each). */
export const COMMIT_STEPS = [
  "staging-created",
  "file-partial",
  "file-written",
  "set-written",
  "link-created",
  "swapped",
  "old-removed",
] as const;
export type CommitStep = (typeof COMMIT_STEPS)[number];

/**
 * dgrn run's output directory: `NAME` is a symbolic link to a hidden sibling
 * `.NAME.run-ID/` holding one complete set; {@link commit} writes the next set
 * into a new sibling and swaps the link with one rename.
 */
/** Commits made by this process (part of every set name, see {@link OutputDir.commit}). */
let commitSeq = 0;

export class OutputDir {
  readonly path: string;
  readonly #flag: string;
  readonly #parent: string;
  readonly #base: string;
  readonly #lock: string;
  #locked = false;

  private constructor(flag: string, path: string) {
    this.#flag = flag;
    this.path = resolve(path);
    this.#parent = dirname(this.path);
    this.#base = basename(this.path);
    this.#lock = join(this.#parent, `.${this.#base}.lock`);
  }

  /**
   * Check the path, create its parent, take the lock and clear leftovers of
   * killed runs: all before the pipeline computes anything.
   *
   * @param flag - the flag ("--out")
   * @param path - the output directory
   * @returns the locked output directory; call {@link release} in `finally`
   * @throws {DgrnIOError} `ERR_IO`: a file, a path under a file, an unwritable place, a directory
   *   holding files that are not a dgrn output set, or a directory another run holds
   */
  static prepare(flag: string, path: string): OutputDir {
    checkOutputPath(flag, path, "dir");
    const o = new OutputDir(flag, path);
    if (o.#base === "" || o.#base === "." || o.#base === "..")
      throw ioError(flag, path, "name the output directory itself (not . or ..)");
    mkdirs(flag, o.#parent);
    o.#takeLock();
    try {
      o.#checkExisting();
      o.#removeLeftovers();
    } catch (e) {
      o.release();
      throw e;
    }
    return o;
  }

  #takeLock(): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.#lock, "wx");
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        this.#locked = true;
        track(this.#lock);
        return;
      } catch (e) {
        if ((e as { code?: string }).code !== "EEXIST")
          throw ioError(this.#flag, this.path, `cannot create the lock ${this.#lock}`, e);
      }
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(this.#lock, "utf8"), 10);
      } catch {
        // unreadable or just removed: treat as stale
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw ioError(this.#flag, this.path, `another dgrn run (pid ${pid}) is writing it (lock ${this.#lock})`);
      }
      rmSync(this.#lock, { force: true }); // stale: its process is gone
    }
    throw ioError(this.#flag, this.path, `cannot take the lock ${this.#lock}`);
  }

  /** A real directory must be empty or a previous (pre-link) output set. */
  #checkExisting(): void {
    const st = lstatOrNone(this.path);
    if (!st || st.isSymbolicLink()) return;
    const foreign = readdirSync(this.path).filter((n) => !LEGACY.test(n));
    if (foreign.length > 0) {
      throw ioError(
        this.#flag,
        this.path,
        `it is an existing directory holding files that are not a dgrn output set (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}); choose a new or empty directory`,
      );
    }
  }

  /** Hidden siblings of killed runs (staging dirs, links, old sets no longer linked). */
  #removeLeftovers(): void {
    const current = this.#linkTarget();
    const prefix = `.${this.#base}.`;
    for (const n of readdirSync(this.#parent)) {
      if (!n.startsWith(prefix) || n === `${prefix}lock`) continue;
      if (!/^\.(.*)\.(run|link|old|tmp)-/.test(n)) continue;
      if (current !== undefined && n === current) continue;
      rmSync(join(this.#parent, n), { recursive: true, force: true });
    }
  }

  /** The link's target name (a sibling), or undefined when NAME is not our link. */
  #linkTarget(): string | undefined {
    const st = lstatOrNone(this.path);
    if (!st?.isSymbolicLink()) return undefined;
    const t = readlinkSync(this.path);
    return t.startsWith(`.${this.#base}.run-`) && !t.includes("/") ? t : undefined;
  }

  /**
   * Write the set and swap it into place.
   *
   * @param files - file name → content (names inside the directory)
   * @param onStep - called after each step (tests kill the process there)
   * @throws {DgrnIOError} `ERR_IO`; the previous set stays in place and the staging directory is removed
   */
  commit(files: Record<string, string | Uint8Array>, onStep?: (step: CommitStep, detail?: string) => void): void {
    // unique within the process too: two commits in one millisecond must not share a set's name
    // (the second would take the first's name and then remove it as the previous set)
    const id = `${Date.now().toString(36)}-${process.pid}-${commitSeq++}`;
    const stageName = `.${this.#base}.run-${id}`;
    const stage = join(this.#parent, stageName);
    const link = join(this.#parent, `.${this.#base}.link-${id}`);
    track(stage);
    try {
      try {
        mkdirSync(stage);
      } catch (e) {
        throw ioError(this.#flag, this.path, `cannot create ${stage}`, e);
      }
      onStep?.("staging-created");
      for (const [name, data] of Object.entries(files)) {
        try {
          writeAll(join(stage, name), data, onStep && (() => onStep("file-partial", name)));
        } catch (e) {
          throw ioError(this.#flag, join(this.path, name), "write failed", e);
        }
        onStep?.("file-written", name);
      }
      onStep?.("set-written");
      track(link);
      try {
        symlinkSync(stageName, link, "dir");
      } catch (e) {
        throw ioError(this.#flag, this.path, "cannot create a symbolic link beside it", e);
      }
      onStep?.("link-created");
      const old = this.#linkTarget();
      const st = lstatOrNone(this.path);
      let legacy: string | undefined;
      if (st && !st.isSymbolicLink()) {
        // an empty directory or a pre-link set: move it aside (the one moment NAME is absent)
        legacy = join(this.#parent, `.${this.#base}.old-${id}`);
        track(legacy);
        renameSync(this.path, legacy);
      }
      try {
        renameSync(link, this.path); // the swap: one rename(2) replaces the link
      } catch (e) {
        if (legacy) renameSync(legacy, this.path);
        throw ioError(this.#flag, this.path, "cannot swap the new set into place", e);
      }
      untrack(link);
      untrack(stage); // now the live set
      onStep?.("swapped");
      if (old) rmSync(join(this.#parent, old), { recursive: true, force: true });
      if (legacy) {
        rmSync(legacy, { recursive: true, force: true });
        untrack(legacy);
      }
      onStep?.("old-removed");
    } finally {
      for (const p of [link, stage]) {
        if (temps.has(p)) {
          rmSync(p, { recursive: true, force: true });
          untrack(p);
        }
      }
    }
  }

  /** Remove the lock (idempotent). */
  release(): void {
    if (!this.#locked) return;
    this.#locked = false;
    rmSync(this.#lock, { force: true });
    untrack(this.#lock);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === "EPERM";
  }
}
