// A pool worker thread (pool.ts): runs the tasks it is sent, one at a time, and replies with
// each result. The shared stop flag, set by the pool on abort, ends a run between slices.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { PROGRESS_PERIOD_MS, type WorkerProgress, type WorkerReply, type WorkerRequest } from './pool.js';
import { runTask } from './run-task.js';

const { stop, exited, progress } = workerData as { stop: Int32Array; exited: Int32Array; progress: boolean };
const port = parentPort!;
// A process.exit in this thread (a plugin module's) ends the thread, not the process: the
// pool reads this flag to say so rather than "worker exited with code N".
process.on('exit', () => Atomics.store(exited, 0, 1));

port.on('message', (req: WorkerRequest) => {
  let last = Number.NEGATIVE_INFINITY;
  const shouldStop: Parameters<typeof runTask>[1] = (sim, run) => {
    if (progress && sim !== undefined && run !== undefined) {
      const now = performance.now(); // ksim-allow-clock: how often progress is sent, not what the run gives
      if (now - last >= PROGRESS_PERIOD_MS) {
        last = now;
        port.postMessage({ index: req.index, progress: { simUs: sim.now, durationUs: run.endUs, events: sim.eventsProcessed } } satisfies WorkerProgress);
      }
    }
    return Atomics.load(stop, 0) === 1;
  };
  void runTask(req.task, shouldStop, `${process.pid}-w${threadId}`).then((result) => {
    port.postMessage({ index: req.index, result } satisfies WorkerReply);
  });
});
