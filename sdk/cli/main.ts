/**
 * The `dgrn` command line. Each subcommand lives in sdk/cli/commands/ and calls
 * the same SDK functions a library user would.
 *
 * Errors: a {@link DgrnError} (bad input, bad options, unreadable file) prints
 * one line `dgrn: <message> [<code>]` and exits 2; a usage error exits 1 with
 * commander's one line; anything else is a bug and says so (set DGRN_DEBUG=1
 * for the stack).
 *
 * @module
 */
import { Command, CommanderError } from "commander";
import { DgrnError, VERSION } from "../targets/node.js";
import { commands } from "./commands/index.js";

export function program(): Command {
  const p = new Command("dgrn")
    .description("diffusion-guided renormalization of neural systems")
    .version(VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  for (const register of commands) register(p);
  for (const c of p.commands) c.exitOverride();
  return p;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version "errors" are successful exits; commander printed already
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? 0 : e.exitCode || 1;
    }
    if (e instanceof DgrnError) {
      process.stderr.write(`dgrn: ${e.message} [${e.code}]\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`dgrn: internal error: ${err?.message ?? String(e)} (a bug: please report it; DGRN_DEBUG=1 shows the stack)\n`);
    if (process.env["DGRN_DEBUG"]) process.stderr.write(`${err?.stack ?? ""}\n`);
    return 70;
  }
}
