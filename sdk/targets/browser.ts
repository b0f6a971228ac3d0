// Build entry for browser: install the platform, then the one shared API.
import { setPlatform } from "../kernel/init.js";
import { browserPlatform } from "../platform/browser.js";

setPlatform(browserPlatform);

export * from "../index.js";
export { createPool, type PoolOptions } from "../parallel/browser.js";
