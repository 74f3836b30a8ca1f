// Merging a profile's plugin configuration with the defaults, as upstream's v1 defaulting does
// (pkg/scheduler/apis/config/v1/default_plugins.go mergePlugins / mergePluginSet).
import { EXTENSION_POINTS, type ExtensionPoint, type PluginRef, type PluginSet } from '../framework/framework.js';

export type PointOrMulti = ExtensionPoint | 'multiPoint';
export type PluginsConfig = Partial<Record<PointOrMulti, PluginSet>>;

export const ALL_POINTS: readonly PointOrMulti[] = ['multiPoint', ...EXTENSION_POINTS];

/**
 * Per point: defaults minus disabled ones ("*" drops them all), a default that the custom set
 * enables again is replaced in place (keeping the default's position), then the remaining custom
 * plugins are appended. Disabled names are kept so multiPoint expansion can skip them.
 */
export function mergePluginSet(defaults: PluginSet, custom: PluginSet | undefined): PluginSet {
  if (custom === undefined) return defaults;
  const disabled = [...custom.disabled, ...defaults.disabled];
  const disabledSet = new Set(disabled);
  const customByName = new Map<string, number>();
  custom.enabled.forEach((p, i) => {
    if (!customByName.has(p.name)) customByName.set(p.name, i);
  });
  const replaced = new Set<number>();
  const enabled: PluginRef[] = [];
  if (!disabledSet.has('*')) {
    for (const d of defaults.enabled) {
      if (disabledSet.has(d.name)) continue;
      const ci = customByName.get(d.name);
      if (ci !== undefined) {
        enabled.push(custom.enabled[ci] as PluginRef);
        replaced.add(ci);
      } else {
        enabled.push(d);
      }
    }
  }
  custom.enabled.forEach((p, i) => {
    if (!replaced.has(i)) enabled.push(p);
  });
  return { enabled, disabled };
}

export function mergePlugins(defaults: PluginsConfig, custom: PluginsConfig | undefined): PluginsConfig {
  const out: PluginsConfig = {};
  for (const pt of ALL_POINTS) {
    const d = defaults[pt] ?? { enabled: [], disabled: [] };
    const merged = mergePluginSet(d, custom?.[pt]);
    if (merged.enabled.length > 0 || merged.disabled.length > 0) out[pt] = merged;
  }
  return out;
}
