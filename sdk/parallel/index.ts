export { inThreadPool, poolOf, serveTasks, type WorkerPool, type Endpoint } from "./pool.js";
export { TASKS, type TaskName } from "./tasks.js";
