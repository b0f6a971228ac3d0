// Every subcommand, one line each. A stage adds its command here.
import type { Command } from "commander";
import { register as info } from "./info.js";

export const commands: Array<(program: Command) => void> = [info];
import { register as dynamics } from "./dynamics.js";
commands.push(dynamics);
