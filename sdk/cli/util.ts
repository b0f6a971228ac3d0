/**
 * Shared pieces of the CLI: argument parsers that produce typed errors, and
 * output helpers. A user error prints one line and exits non-zero; no stack.
 *
 * @module
 */
import { InvalidArgumentError } from "commander";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Parse a number option (commander argParser). */
export function num(value: string): number {
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v)) throw new InvalidArgumentError(`expected a finite number, got "${value}"`);
  return v;
}

/** Parse an integer option. */
export function int(value: string): number {
  const v = num(value);
  if (!Number.isInteger(v)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return v;
}

/** Print JSON to stdout (no NaN/Infinity: they become null, and that is a bug upstream). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}

/** Write a file atomically: to a temporary name, then rename, so a crash never leaves a partial file. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}
