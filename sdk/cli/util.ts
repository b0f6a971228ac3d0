/**
 * Shared pieces of the CLI: argument parsers that produce typed errors, and
 * output helpers. A user error prints one line and exits non-zero; no stack.
 *
 * @module
 */
import { InvalidArgumentError } from "commander";
export { writeAtomic, writeFileSet } from "./output.js";

/** Parse a number option (commander argParser). */
export function num(value: string): number {
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v))
    throw new InvalidArgumentError(`expected a finite number, got "${value}"`);
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
