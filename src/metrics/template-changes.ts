// DaemonSets whose pod template changed during the run: ksim does not model their
// updateStrategy RollingUpdate (the default; upstream pkg/controller/daemon/update.go
// rollingUpdate replaces the pods of an old revision), so such a change would otherwise pass
// silently. One run warning per object. OnDelete is left out: upstream does not roll it out
// either, and ksim's pods created after the change (replacements, new nodes) take the new
// template, as upstream's do. A StatefulSet's change is rolled out (controllers/statefulset.ts:
// rollingUpdate), so it gets no warning.
import { templateKey } from '../api/template-defaults.js';
import { WORKLOAD_ANNOTATION } from '../cluster/pod-info.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import { toSeconds } from '../engine/time.js';

interface Change {
  readonly key: string;
  readonly firstUs: number;
  count: number;
}

export class TemplateChanges {
  private readonly changes = new Map<string, Change>();

  constructor(private readonly now: () => number) {}

  readonly watcher: ClusterWatcher = {
    objectUpdated: (o, old) => {
      if (o.kind !== 'DaemonSet' || o.spec === old.spec) return; // a status write keeps the spec
      if (updateStrategyType(o.spec) === 'OnDelete') return;
      const spec = o.spec as { template?: unknown } | undefined;
      const before = old.spec as { template?: unknown } | undefined;
      if (spec?.template === before?.template || userTemplate(spec?.template) === userTemplate(before?.template)) return;
      const key = `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
      const c = this.changes.get(key);
      if (c !== undefined) c.count++;
      else this.changes.set(key, { key, firstUs: this.now(), count: 1 });
    },
  };

  /** One warning per DaemonSet whose template changed, in the order of their first change. */
  warnings(): string[] {
    return [...this.changes.values()].map((c) => {
      const more = c.count > 1 ? ` (and ${c.count - 1} more time(s))` : '';
      return `DaemonSet ${c.key}: its pod template changed at ${toSeconds(c.firstUs)} s${more}, and ksim does not roll out a DaemonSet's template change (upstream's default updateStrategy RollingUpdate would replace its pods): its pods keep the old template, and only pods created after the change (replacements, new nodes) get the new one`;
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

function updateStrategyType(spec: unknown): string {
  return (spec as { updateStrategy?: { type?: string } } | undefined)?.updateStrategy?.type ?? 'RollingUpdate';
}
