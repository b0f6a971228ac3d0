// Build entry for node: install the platform, then the one shared API.
import { setPlatform } from "../kernel/init.js";
import { nodePlatform } from "../platform/node.js";

setPlatform(nodePlatform);

export * from "../index.js";
