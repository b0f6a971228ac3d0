// Every subcommand, one line each. A stage adds its command here.
import type { Command } from "commander";
import { register as info } from "./info.js";
import { register as simulate } from "./simulate.js";
import { register as inspect } from "./inspect.js";
import { register as infer } from "./infer.js";
import { register as lrg } from "./lrg.js";
import { register as tn } from "./tn.js";
import { register as dynamics } from "./dynamics.js";
import { register as run } from "./run.js";
import { register as batch } from "./batch.js";
import { register as worker } from "./worker.js";

export const commands: Array<(program: Command) => void> = [
  info,
  simulate,
  inspect,
  infer,
  lrg,
  tn,
  dynamics,
  run,
  batch,
  worker,
];
