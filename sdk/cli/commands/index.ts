// Every subcommand, one line each. A stage adds its command here.
import type { Command } from "commander";
import { register as info } from "./info.js";
import { register as infer } from "./infer.js";

export const commands: Array<(program: Command) => void> = [info, infer];
import { register as lrg } from "./lrg.js";
export const commands: Array<(program: Command) => void> = [info, lrg];
export const commands: Array<(program: Command) => void> = [info];
import { register as tn } from "./tn.js";
commands.push(tn);
import { register as dynamics } from "./dynamics.js";
commands.push(dynamics);
