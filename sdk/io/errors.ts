/**
 * Reader errors with their own types, for failures a caller may want to tell
 * apart (all are {@link DgrnFormatError}s naming the field, so a plain
 * `catch (e) { if (e instanceof DgrnFormatError) … }` still sees them).
 *
 * @module
 */
import { DgrnFormatError, ErrorCode } from "../errors.js";

/** The bytes do not start with the NPY magic string `\x93NUMPY`. */
export class NpyMagicError extends DgrnFormatError {
  constructor(message: string) {
    super(message, { code: ErrorCode.INVALID_FORMAT, field: "magic" });
  }
}

/** The NPY header names a dtype (or byte order) the reader does not support. */
export class NpyDtypeError extends DgrnFormatError {
  /** The `descr` string from the header. */
  readonly descr: string;
  constructor(message: string, descr: string) {
    super(message, { code: ErrorCode.INVALID_FORMAT, field: "descr" });
    this.descr = descr;
  }
}

/** The NPY data (or header) is shorter than its header says. */
export class NpyTruncatedError extends DgrnFormatError {
  /** Bytes the header promises. */
  readonly expected: number;
  /** Bytes present. */
  readonly actual: number;
  constructor(message: string, expected: number, actual: number) {
    super(message, { code: ErrorCode.INVALID_FORMAT, field: "data" });
    this.expected = expected;
    this.actual = actual;
  }
}
