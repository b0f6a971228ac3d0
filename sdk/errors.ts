/**
 * Typed errors. Every error the SDK throws on purpose is a {@link DgrnError}
 * with a stable machine-readable `code` and a message that names the argument,
 * what was expected and what came.
 *
 * @module
 */

/** Stable error codes. Match on `err.code`, never on the message text. */
export const ErrorCode = {
  /** An argument had the wrong JavaScript type (e.g. a string where a number was expected). */
  INVALID_TYPE: "ERR_INVALID_TYPE",
  /** A number was outside its allowed range (negative size, probability > 1, …). */
  OUT_OF_RANGE: "ERR_OUT_OF_RANGE",
  /** Array lengths or matrix shapes did not agree. */
  SHAPE_MISMATCH: "ERR_SHAPE_MISMATCH",
  /** A value was NaN or ±Infinity where a finite number was required. */
  NOT_FINITE: "ERR_NOT_FINITE",
  /** An option name or value was not one of the allowed ones. */
  INVALID_OPTION: "ERR_INVALID_OPTION",
  /** Input data could not be parsed (bad header, malformed row, …). */
  INVALID_FORMAT: "ERR_INVALID_FORMAT",
  /** Input data parsed but its content is invalid (unsorted times, ids out of range, …). */
  INVALID_DATA: "ERR_INVALID_DATA",
  /** A file could not be read or written. */
  IO: "ERR_IO",
  /** The kernel was used before `await init()`. */
  NOT_INITIALIZED: "ERR_NOT_INITIALIZED",
  /** The kernel could not be loaded or instantiated. */
  KERNEL_LOAD: "ERR_KERNEL_LOAD",
  /** The kernel reported a failure status or trapped. */
  KERNEL: "ERR_KERNEL",
  /** An iterative method did not converge. */
  NO_CONVERGENCE: "ERR_NO_CONVERGENCE",
  /** Linear memory could not grow to hold the request. */
  OUT_OF_MEMORY: "ERR_OUT_OF_MEMORY",
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The second argument of every dgrn error's constructor: an error code, or
 * the code with the details that the class carries (row, field, cause).
 * Every class takes `(message, detail?)`, so an error is raised the same way
 * whatever its class.
 */
export type ErrorDetail = ErrorCodeValue | { code?: ErrorCodeValue; row?: number; field?: string; cause?: unknown };

function detailOf(detail: ErrorDetail | undefined): {
  code?: ErrorCodeValue;
  row?: number;
  field?: string;
  cause?: unknown;
} {
  return typeof detail === "string" ? { code: detail } : (detail ?? {});
}

/** Base class of every error thrown by dgrn on purpose. */
export class DgrnError extends Error {
  /** Stable machine-readable code, one of {@link ErrorCode}. */
  readonly code: ErrorCodeValue;
  /**
   * @param message - what was wrong and what was expected
   * @param detail - the code (default per class), or `{ code, row, field, cause }`
   */
  constructor(message: string, detail?: ErrorDetail, fallback: ErrorCodeValue = ErrorCode.KERNEL) {
    const d = detailOf(detail);
    super(message, d.cause === undefined ? undefined : { cause: d.cause });
    this.name = new.target.name;
    this.code = d.code ?? fallback;
  }
}

/** Wrong kind of value (TypeError-like). */
export class DgrnTypeError extends DgrnError {
  constructor(message: string, detail?: ErrorDetail) {
    super(message, detail, ErrorCode.INVALID_TYPE);
  }
}

/** Value of the right kind but out of range, non-finite, or a disallowed option (RangeError-like). */
export class DgrnRangeError extends DgrnError {
  constructor(message: string, detail?: ErrorDetail) {
    super(message, detail, ErrorCode.OUT_OF_RANGE);
  }
}

/** Shapes or lengths that do not agree. */
export class DgrnShapeError extends DgrnError {
  constructor(message: string, detail?: ErrorDetail) {
    super(message, detail, ErrorCode.SHAPE_MISMATCH);
  }
}

/** Input that cannot be parsed or whose content is invalid; names the row or field where known. */
export class DgrnFormatError extends DgrnError {
  /** 1-based row (line) of the offending record, where the format has rows. */
  readonly row?: number;
  /** Field or column name, where known. */
  readonly field?: string;
  constructor(message: string, detail?: ErrorDetail) {
    super(message, detail, ErrorCode.INVALID_FORMAT);
    const d = detailOf(detail);
    if (d.row !== undefined) this.row = d.row;
    if (d.field !== undefined) this.field = d.field;
  }
}

/** A file could not be read or written. */
export class DgrnIOError extends DgrnError {
  constructor(message: string, detail?: ErrorDetail) {
    super(message, detail, ErrorCode.IO);
  }
}

/** Misuse of the kernel's lifecycle (e.g. a call before `init()`). */
export class DgrnStateError extends DgrnError {
  constructor(message: string, detail?: ErrorDetail) {
    super(message, detail, ErrorCode.NOT_INITIALIZED);
  }
}

/** The kernel failed: load failure, a non-zero status, a trap, or memory exhaustion. */
export class DgrnKernelError extends DgrnError {
  constructor(message: string, detail?: ErrorDetail) {
    super(message, detail, ErrorCode.KERNEL);
  }
}
