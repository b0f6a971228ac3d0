// Build entry for node: install the platform, then the one shared API.
import { setPlatform } from "../kernel/init.js";
import { nodePlatform } from "../platform/node.js";
import { setFileAccess } from "../io/read.js";
import { nodeFiles } from "../platform/node-files.js";

setPlatform(nodePlatform);
setFileAccess(nodeFiles);

export * from "../index.js";
export { createPool, defaultRunWorkers, RUN_WORKERS_MAX, type PoolOptions } from "../parallel/node.js";
