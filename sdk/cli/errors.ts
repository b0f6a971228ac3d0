/**
 * The CLI's error contract, in one place.
 *
 * - A user error (a {@link DgrnError}, a commander usage error, a JavaScript
 *   allocation failure an input provoked) prints exactly one line
 *   `dgrn: <message> [<CODE>]` on stderr and exits 2.
 * - Help and version exit 0.
 * - Anything else is a bug: one line `dgrn: internal error: … [ERR_INTERNAL]`
 *   and exit 70 (DGRN_DEBUG=1 adds the stack).
 *
 * SDK messages name SDK parameters (`options.binSize`); through the CLI they
 * name the command's flags instead (`--bin`): {@link flagNames}.
 *
 * @module
 */
import { CommanderError, type Command } from "commander";
import { DgrnError, ErrorCode, type ErrorCodeValue } from "../errors.js";

/** Exit status of a user error. */
export const EXIT_USER = 2;
/** Exit status of a bug (EX_SOFTWARE). */
export const EXIT_BUG = 70;

/** What {@link classify} decided: the one line to print and the exit status. */
export interface CliFailure {
  /** The line, without the trailing newline. */
  line: string;
  /** 0 (help, version), 2 (user error) or 70 (bug). */
  status: number;
  /** Whether the line goes to stderr (help and version print nothing more). */
  print: boolean;
}

/**
 * SDK parameter names that a command's flags set under another name
 * (latent diffusion's `tau` is `dgrn infer --diffusion-tau`). Everything else maps by
 * the camelCase rule (`nNeurons` ↔ `--n-neurons`) when the command has that flag.
 */
const ALIASES: Record<string, Record<string, string>> = {
  infer: { tau: "--diffusion-tau" },
  dynamics: { order: "--markov-order" },
  simulate: { n: "--neurons" },
  lrg: { restrictToEdges: "--all-pairs" },
};

/** Prefixes under which the SDK names options (`options.x`, `opts.x`, `config.x`, `o.x`). */
const OPTION_OBJECTS = new Set(["options", "opts", "o", "config", "ro"]);

/** Collapse a message to one line (no newline can break the contract), at most 2,000 characters. */
function oneLine(s: string): string {
  const flat = s.replace(/\s*[\r\n]+\s*/g, " ").trim();
  return flat.length > 2000 ? flat.slice(0, 1997) + "..." : flat;
}

/**
 * Rewrite backticked SDK option names in `msg` to the flags of `command`.
 *
 * @param msg - an SDK error message
 * @param command - the commander (sub)command that ran, or undefined
 * @returns the message with `` `options.binSize` `` → `` `--bin-size` `` where the command has that flag
 * @example
 * ```ts
 * flagNames("invalid argument. `opts.tol` must be …", cmd); // "invalid argument. `--tol` must be …"
 * ```
 */
export function flagNames(msg: string, command: Command | undefined): string {
  if (!command || command.name() === "run") return msg; // run's names are the user's own config keys
  const flags = new Map<string, string>();
  for (const o of command.options) {
    if (!o.long) continue;
    flags.set(o.attributeName(), o.long);
    // `--no-flow` sets `flow`: name it by the negated flag only when no positive one exists
  }
  const alias = ALIASES[command.name()] ?? {};
  return msg.replace(
    /`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)((?:\[\d+\])*)`/g,
    (whole, path: string, index: string) => {
      const parts = path.split(".");
      const head = parts.length > 1 ? parts[0]! : "";
      if (parts.length > 2 || (parts.length === 2 && !OPTION_OBJECTS.has(head))) return whole;
      const key = parts[parts.length - 1]!;
      const flag = alias[key] ?? flags.get(key);
      // an element of a flag's value (`options.lags[1]`) is named by the flag and the element
      return flag && (alias[key] !== undefined || flags.has(key))
        ? `\`${flag}\`${index ? ` (element ${index.slice(1, -1)})` : ""}`
        : whole;
    },
  );
}

/** JavaScript errors an input can provoke that mean "too big", not "bug". */
function isAllocationFailure(e: unknown): boolean {
  if (!(e instanceof RangeError)) return false;
  return /Array buffer allocation failed|Invalid typed array length|Invalid array length|Invalid string length|ArrayBuffer length|WebAssembly\.Memory/.test(
    e.message,
  );
}

/**
 * Decide what an error thrown out of a command means for the user.
 *
 * @param e - whatever was thrown
 * @param command - the subcommand that was running (for flag names), if known
 * @returns the one line and the exit status
 */
export function classify(e: unknown, command?: Command): CliFailure {
  if (e instanceof CommanderError) {
    if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") {
      return { line: "", status: 0, print: false };
    }
    const msg = oneLine(e.message.replace(/^error:\s*/, ""));
    const where = command && command.parent ? `dgrn ${command.name()} --help` : "dgrn --help";
    return { line: `dgrn: ${msg} (see ${where}) [${ErrorCode.INVALID_OPTION}]`, status: EXIT_USER, print: true };
  }
  if (e instanceof DgrnError) {
    return { line: `dgrn: ${oneLine(flagNames(e.message, command))} [${e.code}]`, status: EXIT_USER, print: true };
  }
  if (isAllocationFailure(e)) {
    const code: ErrorCodeValue = ErrorCode.OUT_OF_MEMORY;
    return {
      line: `dgrn: out of memory: the input needs an array larger than this JavaScript engine allows (${oneLine((e as Error).message)}) [${code}]`,
      status: EXIT_USER,
      print: true,
    };
  }
  const err = e as Error | undefined;
  let text: string;
  try {
    text = oneLine(err?.message ?? String(e));
  } catch {
    text = "(unprintable error)";
  }
  return {
    line: `dgrn: internal error: ${text} (a bug: please report it; DGRN_DEBUG=1 shows the stack) [ERR_INTERNAL]`,
    status: EXIT_BUG,
    print: true,
  };
}

/**
 * Make commander follow the contract: no printing of its own for errors (the
 * caller prints {@link classify}'s one line), throw instead of exiting.
 * Help output is unchanged.
 *
 * @param cmd - the program; its subcommands are configured too
 * @returns cmd
 */
export function quietCommander(cmd: Command): Command {
  cmd.exitOverride();
  cmd.showHelpAfterError(false);
  cmd.configureOutput({ outputError: () => {} });
  for (const c of cmd.commands) quietCommander(c);
  return cmd;
}
