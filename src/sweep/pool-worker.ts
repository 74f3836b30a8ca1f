// A pool worker thread (pool.ts): runs the tasks it is sent, one at a time, and replies with
// each result. The shared stop flag, set by the pool on abort, ends a run between slices.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './pool.js';
import { runTask } from './run-task.js';

const stop = (workerData as { stop: Int32Array }).stop;
const port = parentPort!;

port.on('message', (req: WorkerRequest) => {
  void runTask(req.task, () => Atomics.load(stop, 0) === 1, `${process.pid}-w${threadId}`).then((result) => {
    port.postMessage({ index: req.index, result } satisfies WorkerReply);
  });
});
