// The pipeline worker: the browser build of the SDK, serving requests from app.ts.
import "../../sdk/targets/browser.js";
import { serveWorker } from "../../sdk/pipeline/worker-host.js";
import { isPoolWorker } from "../../sdk/parallel/browser.js";

// The same bundle is the pipeline's pool workers (sdk/parallel/browser.ts answers them): serve requests only here.
if (!isPoolWorker()) serveWorker(self as never, new URL("../dgrn.wasm", import.meta.url));
