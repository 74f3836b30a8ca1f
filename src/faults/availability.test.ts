// workloads.csv's available_min_ratio and unavailable_s, driven by hand: a ReplicaSet "web" (no
// Deployment) whose pods become available (Running on a Ready node) and unavailable at scripted
// times, and whose spec.replicas changes. Expected values are worked out from the definition in
// availability.ts: the target is the desired count in force, raised by a scale-up only once met.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Simulation } from '../engine/simulation.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { buildCluster, makeNode, makePod, podInfo } from '../testing/builders.js';
import { AvailabilityTracker } from './availability.js';

const S = 1_000_000;

/** At `atS`: spec.replicas becomes `replicas`, or `up` pods become available, or `down` stop being. */
type Step = { readonly atS: number } & ({ readonly replicas: number } | { readonly up: number } | { readonly down: number });

function replicaSet(replicas: number): WorkloadObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas } };
}

/** Runs the script from a ReplicaSet created at 0 with `replicas` and no pods; returns its
 * workloads.csv row at `endS`. */
function run(replicas: number, steps: readonly Step[], endS: number): Record<string, string | number> {
  const cluster = buildCluster([makeNode('n1').capacity({ cpu: '64', memory: '64Gi', pods: 110 }).obj()]);
  const sim = new Simulation();
  const tracker = new AvailabilityTracker(sim, cluster);
  tracker.watcher.objectAdded?.(replicaSet(replicas));
  const available: PodInfo[] = [];
  let made = 0;
  for (const s of steps) {
    sim.scheduleAt(s.atS * S, 'test.step', '', () => {
      if ('replicas' in s) tracker.watcher.objectUpdated?.(replicaSet(s.replicas), replicaSet(0));
      else if ('up' in s) {
        for (let i = 0; i < s.up; i++) {
          const p = podInfo(makePod(`web-${made++}`).namespace('shop').owner('ReplicaSet', 'web').obj(), sim.now);
          cluster.addPod(p);
          cluster.assume(p, cluster.mustNode('n1'));
          p.bound = true;
          cluster.setPhase(p, 'Running');
          tracker.watcher.podPhaseChanged?.(p, 'Pending');
          available.push(p);
        }
      } else {
        for (let i = 0; i < s.down; i++) {
          const p = available.pop() as PodInfo;
          cluster.deletePod(p);
          tracker.watcher.podDeleted?.(p, 'test');
        }
      }
    });
  }
  sim.run(endS * S);
  const row = tracker.table(endS * S).rows[0];
  assert.ok(row !== undefined);
  return row;
}

test('available_min_ratio and unavailable_s count against the desired count in force', () => {
  const cases: { name: string; replicas: number; steps: Step[]; endS: number; want: [desired: number, ready: number, ratio: string, unavailableS: string] }[] = [
    {
      name: 'creation does not count: the first rollout is a scale-up from 0',
      replicas: 3, steps: [{ atS: 1, up: 1 }, { atS: 2, up: 2 }], endS: 60,
      want: [3, 3, '1', '0'],
    },
    {
      // rolling-update.yaml's 15 m scale-up from 10 to 14: the new pods cannot be available the
      // moment replicas changes; the old definition gave 10/14 = 0.714286 and 5 s.
      name: 'a scale-up counts only from when the new count is first met',
      replicas: 10, steps: [{ atS: 1, up: 10 }, { atS: 100, replicas: 14 }, { atS: 102, up: 2 }, { atS: 105, up: 2 }], endS: 200,
      want: [14, 14, '1', '0'],
    },
    {
      // Held to 10 until 14 are available: 9/10 from 101 s to 110 s (when 14 are).
      name: 'a pod lost during a scale-up counts against the count in force before it',
      replicas: 10, steps: [{ atS: 1, up: 10 }, { atS: 100, replicas: 14 }, { atS: 101, down: 1 }, { atS: 110, up: 5 }], endS: 200,
      want: [14, 14, '0.9', '9'],
    },
    {
      // Target 4 while 6, then 8, are not met; met at 20 s with 8 available.
      name: 'a second scale-up before the first is met keeps the target',
      replicas: 4, steps: [{ atS: 1, up: 4 }, { atS: 10, replicas: 6 }, { atS: 11, up: 1 }, { atS: 12, replicas: 8 }, { atS: 20, up: 3 }], endS: 60,
      want: [8, 8, '1', '0'],
    },
    {
      // 7 of 10 from 50 s; scaled to 8 at 60 s (7/8, still short); whole at 70 s.
      name: 'a scale-down counts at once',
      replicas: 10, steps: [{ atS: 1, up: 10 }, { atS: 50, down: 3 }, { atS: 60, replicas: 8 }, { atS: 70, up: 1 }], endS: 100,
      want: [8, 8, '0.7', '20'],
    },
    {
      // A rollout with maxUnavailable 2 of 10 (rolling-update.yaml's 5 m rollout): 8 of 10.
      name: 'a dip below the count in force counts while it lasts',
      replicas: 10, steps: [{ atS: 1, up: 10 }, { atS: 300, down: 2 }, { atS: 305.5, up: 2 }], endS: 600,
      want: [10, 10, '0.8', '5.5'],
    },
    {
      name: 'a dip still open at the end counts up to the end',
      replicas: 10, steps: [{ atS: 1, up: 10 }, { atS: 300, down: 1 }], endS: 600,
      want: [10, 9, '0.9', '300'],
    },
    {
      // Scaled to 0 (target 0), then to 2: held to nothing until 2 are available again.
      name: 'a workload scaled to zero and back starts over as at creation',
      replicas: 3, steps: [{ atS: 1, up: 3 }, { atS: 10, replicas: 0 }, { atS: 11, down: 3 }, { atS: 20, replicas: 2 }, { atS: 25, up: 2 }], endS: 60,
      want: [2, 2, '1', '0'],
    },
    {
      name: 'never whole: both columns empty',
      replicas: 3, steps: [{ atS: 1, up: 2 }], endS: 60,
      want: [3, 2, '', ''],
    },
  ];
  for (const c of cases) {
    const row = run(c.replicas, c.steps, c.endS);
    assert.deepEqual([row['desired'], row['ready'], row['available_min_ratio'], row['unavailable_s']], c.want, c.name);
  }
});
