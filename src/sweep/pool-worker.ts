// A pool worker thread (pool.ts): runs the tasks it is sent, one at a time, and replies with
// each result. The shared stop flag, set by the pool on abort, ends a run between slices.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './pool.js';
import { runTask } from './run-task.js';

const { stop, exited } = workerData as { stop: Int32Array; exited: Int32Array };
const port = parentPort!;
// A process.exit in this thread (a plugin module's) ends the thread, not the process: the
// pool reads this flag to say so rather than "worker exited with code N".
process.on('exit', () => Atomics.store(exited, 0, 1));

port.on('message', (req: WorkerRequest) => {
  void runTask(req.task, () => Atomics.load(stop, 0) === 1, `${process.pid}-w${threadId}`).then((result) => {
    port.postMessage({ index: req.index, result } satisfies WorkerReply);
  });
});
