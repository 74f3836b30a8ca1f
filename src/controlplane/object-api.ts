// Updates and deletes of workload objects (Deployments, ReplicaSets, DaemonSets, ...), which
// ApiServer does not offer yet. A small wrapper: each write commits into `api.cluster.objects`
// after a latency drawn from the function it is given, and its watchers hear of the committed
// change at once. Objects are replaced, never changed in place (a stored object is a committed
// snapshot; readers may hold on to it). When ApiServer grows updateObject/deleteObject (through
// its own latency, rate-limit and watch-delay model) this class should delegate to them.
import type { Simulation } from '../engine/simulation.js';
import { keyOf, objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import type { ApiServer } from './api-server.js';

export interface ObjectWatcher {
  /** A stored object was replaced by `o` (same kind, namespace and name). */
  objectUpdated?(o: WorkloadObject, old: WorkloadObject): void;
  /** An object was deleted from the store. */
  objectDeleted?(o: WorkloadObject): void;
}

export class ObjectApi {
  private readonly watchers: ObjectWatcher[] = [];
  writes = 0;

  constructor(
    private readonly sim: Simulation,
    readonly api: ApiServer,
    /** Latency of one write, µs. */
    private readonly latencyUs: () => number,
  ) {}

  watch(w: ObjectWatcher): void {
    this.watchers.push(w);
  }

  get(kind: string, namespace: string, name: string): WorkloadObject | undefined {
    return this.api.cluster.objects.get(objectKey(kind, namespace, name));
  }

  /** Replaces the stored object of `o`'s key with `o`. `done(false)` when there is none (NotFound). */
  updateObject(o: WorkloadObject, done?: (ok: boolean) => void): void {
    this.write('api.update-object', keyOf(o), () => {
      const key = keyOf(o);
      const old = this.api.cluster.objects.get(key);
      if (old === undefined) return done?.(false);
      this.api.cluster.objects.set(key, o);
      for (const w of this.watchers) w.objectUpdated?.(o, old);
      done?.(true);
    });
  }

  /** Deletes an object. `done(false)` when it does not exist (any more). */
  deleteObject(kind: string, namespace: string, name: string, done?: (ok: boolean) => void): void {
    const key = objectKey(kind, namespace, name);
    this.write('api.delete-object', key, () => {
      const old = this.api.cluster.objects.get(key);
      if (old === undefined) return done?.(false);
      this.api.cluster.objects.delete(key);
      for (const w of this.watchers) w.objectDeleted?.(old);
      done?.(true);
    });
  }

  private write(kind: string, subject: string, commit: () => void): void {
    this.writes++;
    this.sim.schedule(this.latencyUs(), kind, subject, commit);
  }
}

/** The stored object with `spec` replaced by `spec` (a new object; the old one is untouched). */
export function withSpec(o: WorkloadObject, spec: unknown): WorkloadObject {
  return { ...o, metadata: { ...o.metadata }, spec };
}
