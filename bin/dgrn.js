#!/usr/bin/env node
// The dgrn command: runs the bundled CLI (dist/node/cli.js, built by `npm run build`).
import { main } from "../dist/node/cli.js";

process.exitCode = await main(process.argv.slice(2));
