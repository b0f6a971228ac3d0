// The pipeline worker: the browser build of the SDK, serving requests from app.ts.
import "../../sdk/targets/browser.js";
import { serveWorker } from "../../sdk/pipeline/worker-host.js";

serveWorker(self as never, new URL("../dgrn.wasm", import.meta.url));
