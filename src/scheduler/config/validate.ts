// Building every profile once against an empty cluster, before a run starts, so that plugin
// names, extension points and plugin args are checked with the position of the offending field.
import { InputError } from '../../api/input-error.js';
import { ClusterState } from '../../cluster/cluster-state.js';
import { parseRelativePath } from '../../api/yaml-source.js';
import { Framework, ProfileError } from '../framework/framework.js';
import type { PluginFactory } from '../framework/interfaces.js';
import type { ProfileSource, SchedulerConfig } from './kube-scheduler-configuration.js';

export function validateSchedulerConfig(config: SchedulerConfig, registry: ReadonlyMap<string, PluginFactory>): void {
  config.profiles.forEach((profile, i) => {
    try {
      new Framework(profile, registry, { cluster: new ClusterState(), bindPod: () => {}, deletePod: () => {} });
    } catch (e) {
      if (!(e instanceof ProfileError)) throw e;
      throw locate(e, config.sources[i] ?? null, profile.schedulerName);
    }
  });
}

/** Points a ProfileError at the user's own words: the plugin's entry in the profile, or its args. */
function locate(e: ProfileError, source: ProfileSource | null, profileName: string): InputError {
  if (source === null) return new InputError(`profile ${profileName}`, 0, 0, e.path, e.expected, e.got);
  const argsMatch = /^pluginConfig\[([^\]]+)\]\.args(.*)$/.exec(e.path);
  if (argsMatch !== null) {
    const name = argsMatch[1] as string;
    const idx = source.pluginConfigIndex.get(name);
    if (idx !== undefined) {
      return source.doc.error([...source.path, 'pluginConfig', idx, 'args', ...parseRelativePath(argsMatch[2] ?? '')], e.expected, e.got);
    }
    return source.doc.error(source.path, `valid default args for ${name}: ${e.expected}`, e.got);
  }
  const pluginMatch = /^plugins\.(\w+)\.enabled\[\d+\]\.name$/.exec(e.path);
  const name = e.got !== undefined ? /"([^"]+)"/.exec(e.got)?.[1] : undefined;
  if (pluginMatch !== null && name !== undefined) {
    const node = source.doc.doc.getIn([...source.path, 'plugins']) as { toJSON?: () => unknown } | undefined;
    const json = node?.toJSON?.() as Record<string, { enabled?: { name?: string }[] }> | undefined;
    for (const pt of [pluginMatch[1] as string, 'multiPoint']) {
      const j = json?.[pt]?.enabled?.findIndex((p) => p.name === name) ?? -1;
      if (j >= 0) return source.doc.error([...source.path, 'plugins', pt, 'enabled', j, 'name'], e.expected, e.got);
    }
  }
  return source.doc.error([...source.path, ...parseRelativePath(e.path)], e.expected, e.got);
}
