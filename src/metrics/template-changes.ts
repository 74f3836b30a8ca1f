// StatefulSets whose pod template changed during the run (a DaemonSet's is rolled out:
// controllers/daemonset.ts): ksim does not model their updateStrategy RollingUpdate (the
// default; upstream pkg/controller/statefulset stateful_set_control.go updateStatefulSet
// replaces the pods of an old revision), so such a change would otherwise pass silently. One run
// warning per object. OnDelete is left out: upstream does not roll it out either, and ksim's
// pods created after the change (replacements, scale-ups) take the new template, as
// upstream's do. A StatefulSet's rollingUpdate.partition P limits upstream's rolling update to
// the ordinals ≥ start + P (updateStatefulSet: updateMin), so a set whose partition is at least
// its replicas would have nothing replaced: no warning until an update lowers it (a staged
// rollout) while the template differs from the one before its first change; ksim's controller
// makes the pods below the partition from the old template, as upstream (statefulset.ts).
import { templateKey } from '../api/template-defaults.js';
import { WORKLOAD_ANNOTATION } from '../cluster/pod-info.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { toSeconds } from '../engine/time.js';

interface Change {
  readonly kind: string;
  readonly key: string;
  readonly firstUs: number;
  count: number;
  /** StatefulSet: the ordinals upstream would replace, from `from` (start + partition) to `to`;
   * `partition` 0 (or none) replaces them all. `lowered`: the warning's update only lowered the
   * partition (the template changed earlier). */
  readonly from?: number;
  readonly to?: number;
  readonly partition?: number;
  readonly lowered?: boolean;
}

/** A StatefulSet whose template changed and whose upstream rolling update has not begun (its
 * partition at least its replicas): the template before the change, and the end (exclusive) of
 * the ordinals its pods had then (later ones are made from the new template). */
interface Held {
  readonly before: string;
  readonly end: number;
}

export class TemplateChanges {
  private readonly changes = new Map<string, Change>();
  private readonly held = new Map<string, Held>();

  constructor(private readonly now: () => number) {}

  readonly watcher: ClusterWatcher = {
    objectUpdated: (o, old) => {
      if (o.kind !== 'StatefulSet' || o.spec === old.spec) return; // a status write keeps the spec
      if (updateStrategyType(o) === 'OnDelete') return;
      const spec = o.spec as { template?: unknown } | undefined;
      const before = old.spec as { template?: unknown } | undefined;
      const key = `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
      const c = this.changes.get(key);
      if (o.kind === 'StatefulSet' && c === undefined) {
        this.statefulSetUpdated(key, o, old, spec?.template, before?.template);
        return;
      }
      if (spec?.template === before?.template || userTemplate(spec?.template) === userTemplate(before?.template)) return;
      if (c !== undefined) c.count++;
      else this.changes.set(key, { kind: o.kind, key: `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, firstUs: this.now(), count: 1 });
    },
  };

  /** A StatefulSet's update before any warning: a warning once its template differs from the
   * one before its first change and upstream's rolling update would replace some ordinal. */
  private statefulSetUpdated(key: string, o: WorkloadObject, old: WorkloadObject, after: unknown, before: unknown): void {
    const changed = after !== before && userTemplate(after) !== userTemplate(before);
    let held = this.held.get(key);
    if (!changed && held === undefined) return; // no template change pending
    if (held === undefined) {
      held = { before: userTemplate(before), end: ordinalEnd(old) };
      this.held.set(key, held);
    } else if (changed && userTemplate(after) === held.before) {
      this.held.delete(key); // back to the template before: nothing to replace
      return;
    }
    const spec = o.spec as StatefulSetSpec | undefined;
    const start = spec?.ordinals?.start ?? 0;
    const partition = spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    // Upstream's rolling update replaces the pods of an old revision at ordinals ≥ start +
    // partition (updateStatefulSet: updateMin); pods made after the change are of the new one.
    const to = Math.min(held.end, ordinalEnd(o)) - 1;
    if (start + partition > to) return;
    this.held.delete(key);
    this.changes.set(key, { kind: o.kind, key: `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`, firstUs: this.now(), count: 1, from: start + partition, to, partition, lowered: !changed });
  }

  /** One warning per object whose template changed, in the order of their first change. */
  warnings(): string[] {
    return [...this.changes.values()].map((c) => {
      const when = c.lowered === true ? `its rollingUpdate.partition was lowered to ${c.partition} at ${toSeconds(c.firstUs)} s after a pod template change` : `its pod template changed at ${toSeconds(c.firstUs)} s`;
      const more = c.count > 1 ? ` (and ${c.count - 1} more time(s))` : '';
      if (c.partition !== undefined && c.partition > 0) {
        return `${c.kind} ${c.key}: ${when}${more}, and ksim does not roll out a ${c.kind}'s template change (upstream's updateStrategy RollingUpdate with partition ${c.partition} would replace its pods of ordinals ${c.from} to ${c.to}, highest first): they keep the old template, and only pods created after the change at ordinals ${c.from} and above (replacements, scale-ups) get the new one; below the partition, pods are made from the old template, as upstream's`;
      }
      return `${c.kind} ${c.key}: ${when}${more}, and ksim does not roll out a ${c.kind}'s template change (upstream's default updateStrategy RollingUpdate would replace its pods): its pods keep the old template, and only pods created after the change (replacements, scale-ups) get the new one`;
    });
  }
}

/** A template's canonical JSON without ksim's own ksim.io/workload annotation (a later entry
 * that only scales the set names itself there, which is no change the user made), as the API
 * server stores it (comparableTemplate: a snapshot's template shows the defaults a re-applied
 * manifest leaves out). */
function userTemplate(t: unknown): string {
  return templateKey(t ?? {}, { annotations: [WORKLOAD_ANNOTATION] });
}

interface StatefulSetSpec {
  replicas?: number;
  ordinals?: { start?: number };
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } | null };
}

/** start + replicas: the end (exclusive) of a StatefulSet's ordinals. */
function ordinalEnd(o: WorkloadObject): number {
  const spec = o.spec as StatefulSetSpec | undefined;
  return (spec?.ordinals?.start ?? 0) + (spec?.replicas ?? 1);
}

function updateStrategyType(o: WorkloadObject): string {
  return (o.spec as { updateStrategy?: { type?: string } } | undefined)?.updateStrategy?.type ?? 'RollingUpdate';
}
