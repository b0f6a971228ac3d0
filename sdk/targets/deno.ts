// Build entry for deno: install the platform, then the one shared API.
import { setPlatform } from "../kernel/init.js";
import { denoPlatform } from "../platform/deno.js";

setPlatform(denoPlatform);

export * from "../index.js";
