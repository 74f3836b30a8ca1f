// Warnings about a valid scenario that will not do what it seems to say: pods for a scheduler no
// profile serves (they stay Pending, as upstream: no kube-scheduler picks them up), and workload
// entries that arrive after the run ends (never created).
import { formatDuration } from '../api/duration.js';
import { isObject } from '../api/values.js';
import type { Scenario } from './scenario.js';

const DEFAULT_SCHEDULER = 'default-scheduler';

/** The pod spec a manifest makes pods from: a Pod's own, a controller's template's. */
function podSpecOf(m: unknown): Record<string, unknown> | null {
  if (!isObject(m) || !isObject(m['spec'])) return null;
  const spec = m['spec'];
  if (m['kind'] === 'Pod') return spec;
  const job = m['kind'] === 'CronJob' && isObject(spec['jobTemplate']) && isObject(spec['jobTemplate']['spec']) ? spec['jobTemplate']['spec'] : spec;
  const template = job['template'];
  return isObject(template) && isObject(template['spec']) ? template['spec'] : null;
}

export function scenarioWarnings(s: Pick<Scenario, 'workload' | 'scheduler' | 'durationUs'>): string[] {
  const out: string[] = [];
  const served = s.scheduler.profiles.map((p) => p.schedulerName);
  s.workload.forEach((entry, i) => {
    const names = new Set<string>();
    for (const m of entry.manifests) {
      const spec = podSpecOf(m);
      if (spec === null) continue;
      const name = typeof spec['schedulerName'] === 'string' ? spec['schedulerName'] : DEFAULT_SCHEDULER;
      if (!served.includes(name)) names.add(name);
    }
    for (const name of [...names].sort()) {
      out.push(`workload[${i}] (${entry.name}): its pods name schedulerName ${JSON.stringify(name)}, which no scheduler profile serves (profiles: ${served.join(', ')}); they stay Pending, as upstream`);
    }
    const startUs = entry.arrival.kind === 'at' ? entry.arrival.atUs : entry.arrival.startUs;
    if (startUs >= s.durationUs && s.durationUs > 0 && startUs > 0) {
      out.push(`workload[${i}] (${entry.name}): arrives at ${formatDuration(startUs)}, at or after the end of the run (duration ${formatDuration(s.durationUs)}); it is never created`);
    }
  });
  return out;
}
