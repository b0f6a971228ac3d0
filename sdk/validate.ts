/**
 * Argument checks for the public layer. Kernels never re-check: everything that
 * reaches them has passed through here. One message template throughout:
 *
 *   invalid argument. `n` must be a nonnegative integer. Value: `-1`.
 *
 * @module
 */
import { DgrnError, DgrnRangeError, DgrnShapeError, DgrnTypeError, ErrorCode } from "./errors.js";

/**
 * Render a value for an error message, briefly and safely: never recurses into
 * nested arrays or objects (a 100,000-deep array is `Array(1)`), never calls a
 * user `toString`, never throws.
 */
export function show(value: unknown): string {
  try {
    return showUnsafe(value);
  } catch {
    return "(unprintable value)";
  }
}

function showUnsafe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined)
    return String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<unknown>).length})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === "function") return "function";
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** Build the one message template. */
export function message(name: string, expected: string, value: unknown): string {
  return `invalid argument. \`${name}\` must be ${expected}. Value: \`${show(value)}\`.`;
}

/** A finite number, optionally within [min, max] (or exclusive bounds). Returns it. */
export function checkNumber(
  name: string,
  value: unknown,
  range: { min?: number; max?: number; minExclusive?: boolean; maxExclusive?: boolean } = {},
): number {
  if (typeof value !== "number") throw new DgrnTypeError(message(name, "a number", value));
  if (!Number.isFinite(value)) throw new DgrnRangeError(message(name, "a finite number", value), ErrorCode.NOT_FINITE);
  const { min, max, minExclusive = false, maxExclusive = false } = range;
  const lo = min === undefined ? "" : minExclusive ? `> ${min}` : `>= ${min}`;
  const hi = max === undefined ? "" : maxExclusive ? `< ${max}` : `<= ${max}`;
  const bad =
    (min !== undefined && (minExclusive ? value <= min : value < min)) ||
    (max !== undefined && (maxExclusive ? value >= max : value > max));
  if (bad) throw new DgrnRangeError(message(name, `a number ${[lo, hi].filter(Boolean).join(" and ")}`, value));
  return value;
}

/** An integer (a number with no fraction), optionally within [min, max]. Returns it. */
export function checkInteger(name: string, value: unknown, range: { min?: number; max?: number } = {}): number {
  if (typeof value !== "number") throw new DgrnTypeError(message(name, "an integer", value));
  if (!Number.isInteger(value)) {
    throw new DgrnRangeError(
      message(name, "an integer", value),
      Number.isFinite(value) ? ErrorCode.OUT_OF_RANGE : ErrorCode.NOT_FINITE,
    );
  }
  const { min, max } = range;
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    const what =
      min === 0 && max === undefined
        ? "a nonnegative integer"
        : min === 1 && max === undefined
          ? "a positive integer"
          : `an integer in [${min ?? "-inf"}, ${max ?? "inf"}]`;
    throw new DgrnRangeError(message(name, what, value));
  }
  return value;
}

/** A seed: an integer in [0, 2^53 − 1]. Returns it. */
export function checkSeed(name: string, value: unknown): number {
  return checkInteger(name, value, { min: 0, max: Number.MAX_SAFE_INTEGER });
}

/** One of the allowed string values. Returns it, typed. */
export function checkOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new DgrnRangeError(
      message(name, `one of ${allowed.map((a) => `"${a}"`).join(", ")}`, value),
      ErrorCode.INVALID_OPTION,
    );
  }
  return value as T;
}

/** A boolean. Returns it. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new DgrnTypeError(message(name, "a boolean", value));
  return value;
}

/**
 * An options object whose keys are all known (catches typos such as `{ sed: 1 }`).
 * `undefined` gives `{}`.
 */
export function checkOptions<T extends object>(name: string, value: unknown, allowed: readonly string[]): Partial<T> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new DgrnTypeError(message(name, "an options object", value));
  }
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) {
      throw new DgrnRangeError(
        `invalid argument. \`${name}\` has an unknown option \`${k}\`; expected one of ${allowed.map((a) => `\`${a}\``).join(", ")}.`,
        ErrorCode.INVALID_OPTION,
      );
    }
  }
  return value as Partial<T>;
}

/**
 * Run a stage's own option check under the name the caller knows the options
 * by: a {@link DgrnError} thrown inside has its argument names re-rooted, so
 * `options.lags` (the stage's name) reads `config.graph.lags` (the pipeline's).
 * One check per option, one home: the pipeline calls the stage's resolver
 * instead of repeating it.
 *
 * @param name - the caller's name for the options object (e.g. `config.graph`)
 * @param check - the stage's resolver, called with no data
 * @returns what `check` returns
 * @throws {DgrnError} whatever `check` throws, renamed
 * @example
 * ```ts
 * within("config.graph", () => resolveInferOptions({ lags: 0 })); // throws: `config.graph.lags` must be a positive integer
 * ```
 */
export function within<T>(name: string, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof DgrnError) e.message = e.message.replace(/`(?:options|config)(?=[.[`])/g, "`" + name);
    throw e;
  }
}

/**
 * An array or a typed array of numbers (not a DataView, not a BigInt array):
 * what the SDK's element-wise validators accept before checking each entry.
 */
export function isNumberArrayLike(value: unknown): value is ArrayLike<unknown> {
  return (
    Array.isArray(value) ||
    (ArrayBuffer.isView(value) &&
      !(value instanceof DataView) &&
      !(value instanceof BigInt64Array) &&
      !(value instanceof BigUint64Array))
  );
}

/**
 * A vector of finite numbers (Float64Array, any typed array or number[]), of
 * `length` if given. Returns a Float64Array (the input itself when it already
 * is one; never mutated by the SDK).
 */
export function checkVector(name: string, value: unknown, length?: number): Float64Array {
  let out: Float64Array;
  if (value instanceof Float64Array) out = value;
  else if (isNumberArrayLike(value)) {
    const arr = value;
    out = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (typeof v !== "number") throw new DgrnTypeError(message(`${name}[${i}]`, "a number", v));
      out[i] = v;
    }
  } else {
    throw new DgrnTypeError(message(name, "a Float64Array or an array of numbers", value));
  }
  if (length !== undefined && out.length !== length) {
    throw new DgrnShapeError(message(`${name}.length`, `${length}`, out.length));
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new DgrnRangeError(message(`${name}[${i}]`, "a finite number", out[i]), ErrorCode.NOT_FINITE);
    }
  }
  return out;
}

/** A dense row-major matrix: `{ rows, cols, data }` with `data.length === rows * cols`, finite. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Check a {@link Matrix} (shape integers, data length, finiteness). Returns it with a Float64Array. */
export function checkMatrix(name: string, value: unknown): Matrix {
  if (value === null || typeof value !== "object")
    throw new DgrnTypeError(message(name, "a matrix { rows, cols, data }", value));
  const m = value as { rows?: unknown; cols?: unknown; data?: unknown };
  const rows = checkInteger(`${name}.rows`, m.rows, { min: 0 });
  const cols = checkInteger(`${name}.cols`, m.cols, { min: 0 });
  const data = checkVector(`${name}.data`, m.data);
  if (data.length !== rows * cols) {
    throw new DgrnShapeError(message(`${name}.data.length`, `rows * cols = ${rows * cols}`, data.length));
  }
  return { rows, cols, data };
}

/** Check that a matrix is square. */
export function checkSquare(name: string, m: Matrix): number {
  if (m.rows !== m.cols) throw new DgrnShapeError(message(`${name}`, "a square matrix", `${m.rows}×${m.cols}`));
  return m.rows;
}
