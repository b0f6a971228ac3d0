/**
 * The `dgrn` command line. Each subcommand lives in sdk/cli/commands/ and calls
 * the same SDK functions a library user would.
 *
 * Errors (sdk/cli/errors.ts): every user error — a {@link DgrnError}, a
 * commander usage error, an allocation an input made impossible — prints one
 * line `dgrn: <message> [<CODE>]` and exits 2, with the command's flag names
 * in the message; help and version exit 0; anything else is a bug, exit 70
 * (set DGRN_DEBUG=1 for the stack).
 *
 * @module
 */
import { Command } from "commander";
import { VERSION } from "../targets/node.js";
import { commands } from "./commands/index.js";
import { classify, quietCommander } from "./errors.js";
import { checkOutputPath } from "./output.js";

export function program(): Command {
  const p = new Command("dgrn")
    .description("diffusion-guided renormalization of neural systems")
    .version(VERSION, "-V, --version");
  for (const register of commands) register(p);
  return quietCommander(p);
}

export async function main(argv: string[]): Promise<number> {
  const p = program();
  let active: Command | undefined;
  p.hook("preAction", (_root, actionCommand) => {
    active = actionCommand;
    // output paths are checked before any work (`dgrn run` checks and locks its directory itself;
    // `dgrn batch` / `dgrn worker` take an output root that holds many jobs and is reused by reruns)
    const out = actionCommand.opts()["out"];
    const ownsDir =
      ["run", "batch", "worker"].includes(actionCommand.name()) || actionCommand.parent?.name() === "batch";
    if (typeof out === "string" && !ownsDir) checkOutputPath("--out", out, "file");
  });
  try {
    await p.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    // commander usage errors happen before preAction: find the subcommand by name
    const cmd = active ?? p.commands.find((c) => argv.includes(c.name()));
    const f = classify(e, cmd);
    if (f.print) process.stderr.write(f.line + "\n");
    if (f.status === 70 && process.env["DGRN_DEBUG"]) process.stderr.write(`${(e as Error)?.stack ?? ""}\n`);
    return f.status;
  }
}
