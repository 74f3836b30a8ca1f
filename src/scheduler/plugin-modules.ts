// Out-of-tree plugins: JavaScript modules that export `plugins`, an object of plugin name →
// factory(args, handle), registered next to the built-ins under those names.
import { pathToFileURL } from 'node:url';
import { InputError } from '../api/input-error.js';
import type { PluginFactory } from './framework/interfaces.js';
import { inTreeRegistry } from './plugins/registry.js';

export interface PluginModule {
  /** Path as the user wrote it (for messages). */
  readonly display: string;
  readonly path: string;
}

const EXPECTED = 'an ES module exporting `plugins`: an object of plugin name → factory(args, handle)';

export async function loadPluginModules(modules: readonly PluginModule[]): Promise<Map<string, PluginFactory>> {
  const out = new Map<string, PluginFactory>();
  const builtIn = inTreeRegistry();
  for (const m of modules) {
    let ns: Record<string, unknown>;
    try {
      ns = (await import(pathToFileURL(m.path).href)) as Record<string, unknown>;
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'ERR_MODULE_NOT_FOUND' ? 'no such module' : `it failed to load: ${err.message.split('\n')[0] ?? ''}`;
      throw new InputError(m.display, 0, 0, '', EXPECTED, why);
    }
    const plugins = (ns['plugins'] ?? (ns['default'] as Record<string, unknown> | undefined)?.['plugins']) as unknown;
    if (typeof plugins !== 'object' || plugins === null || Array.isArray(plugins)) {
      throw new InputError(m.display, 0, 0, '', EXPECTED, `exports ${Object.keys(ns).sort().join(', ') || 'nothing'}`);
    }
    for (const [name, factory] of Object.entries(plugins as Record<string, unknown>)) {
      if (typeof factory !== 'function') throw new InputError(m.display, 0, 0, `plugins.${name}`, 'a factory function (args, handle) => plugin', typeof factory);
      if (builtIn.has(name)) throw new InputError(m.display, 0, 0, `plugins.${name}`, 'a name that is not a built-in plugin', JSON.stringify(name));
      if (out.has(name)) throw new InputError(m.display, 0, 0, `plugins.${name}`, 'a plugin name no other module registers', JSON.stringify(name));
      out.set(name, factory as PluginFactory);
    }
  }
  return out;
}
