// Test helper for the controllers' slow-start batches: records when pod creates are sent.
import type { ApiServer } from '../controlplane/api-server.js';
import type { Simulation } from '../engine/simulation.js';

/** Times (µs) at which pod creates are sent through `api`, refused ones included. */
export function createSends(sim: Simulation, api: ApiServer): number[] {
  const sent: number[] = [];
  const create = api.createPod.bind(api);
  api.createPod = (pod, done) => {
    sent.push(sim.now);
    create(pod, done);
  };
  return sent;
}
