// Out-of-tree plugins: JavaScript modules that export `plugins`, an object of plugin name →
// factory(args, handle), registered next to the built-ins under those names.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InputError } from '../api/input-error.js';
import { FieldError } from '../api/field-error.js';
import { describeValue, notAVerdict, ownStatus } from './framework/framework.js';
import { FROM_PLUGIN_MODULE, type FilterRejections, type FrameworkHandle, type Plugin, type PluginFactory } from './framework/interfaces.js';
import { Code, Status, type Verdict } from './framework/status.js';
import { ActionType } from './framework/events.js';
import { inTreeRegistry } from './plugins/registry.js';
import type { PodInfo } from '../cluster/pod-info.js';

export interface PluginModule {
  /** Path as the user wrote it (for messages). */
  readonly display: string;
  readonly path: string;
  /** Where a scenario names the module (scheduler.pluginModules[i]): errors met importing it
   * point there. Absent for --plugin-module. */
  readonly field?: { readonly file: string; readonly line: number; readonly column: number; readonly path: string };
}

const EXPECTED = 'an ES module exporting `plugins`: an object of plugin name → factory(args, handle)';

/** An exception thrown by a user plugin (scheduler.pluginModules): the plugin's failure, not
 * ksim's, so the CLI reports it without asking for a bug report. */
export class PluginFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PluginFailure';
  }
}

/** The factories loadPluginModules made (their plugins are users' code). */
const fromModules = new WeakSet<PluginFactory>();

/** Whether a factory came from a plugin module (loadPluginModules), not from ksim or library code. */
export function isFromPluginModule(f: PluginFactory): boolean {
  return fromModules.has(f);
}

export async function loadPluginModules(modules: readonly PluginModule[]): Promise<Map<string, PluginFactory>> {
  const out = new Map<string, PluginFactory>();
  const builtIn = inTreeRegistry();
  for (const m of modules) {
    const url = pathToFileURL(m.path).href;
    let ns: Record<string, unknown>;
    try {
      ns = (await import(url)) as Record<string, unknown>;
    } catch (e) {
      throw importError(m, e);
    }
    const plugins = (ns['plugins'] ?? (ns['default'] as Record<string, unknown> | undefined)?.['plugins']) as unknown;
    if (typeof plugins !== 'object' || plugins === null || Array.isArray(plugins)) {
      const names = Object.keys(ns).sort();
      const exported = plugins !== undefined
        ? `exports plugins as ${Array.isArray(plugins) ? 'a list' : describeValue(plugins)}, not an object`
        : `exports ${names.join(', ') || 'nothing'}${names.includes('default') ? ' (without `plugins`)' : ''}`;
      throw moduleError(m, '', EXPECTED, exported, `it ${exported}`);
    }
    for (const [name, factory] of Object.entries(plugins as Record<string, unknown>)) {
      const inner = `plugins.${name}`;
      if (typeof factory !== 'function') throw moduleError(m, inner, 'a factory function (args, handle) => plugin', typeof factory, `${inner} is a ${typeof factory}`);
      if (builtIn.has(name)) throw moduleError(m, inner, 'a name that is not a built-in plugin', JSON.stringify(name), `${inner} is ${JSON.stringify(name)}`);
      if (out.has(name)) throw moduleError(m, inner, 'a plugin name no other module registers', JSON.stringify(name), `${inner} is ${JSON.stringify(name)}, registered by an earlier module too`);
      const f = factory as PluginFactory;
      const guarded: PluginFactory = (args, handle) => guardPlugin(made(f, args, handle, name, m, url), name, m.display, url, handle);
      fromModules.add(guarded);
      out.set(name, guarded);
    }
  }
  return out;
}

/** A user factory's plugin. Its FieldError (bad args) is the configuration's error, which the
 * framework reports at the args' line; any other exception, or a value that is not a plugin
 * object, is the plugin's error (exit 1, naming it and the line of its file), not ksim's. A
 * plugin named other than its key is the module's configuration mistake (exit 2, at the
 * scenario's pluginModules entry). */
function made(f: PluginFactory, args: unknown, handle: Parameters<PluginFactory>[1], name: string, m: PluginModule, url: string): Plugin {
  const display = m.display;
  let plugin: unknown;
  try {
    plugin = f(args, handle);
  } catch (e) {
    if (e instanceof FieldError || e instanceof PluginFailure) throw e;
    // A FieldError of another copy of ksim (the module imports its own install): this one's.
    const f = e as Partial<FieldError> | null;
    if (f instanceof Error && f.name === 'FieldError' && typeof f.path === 'string' && typeof f.expected === 'string') throw new FieldError(f.path, f.expected, typeof f.got === 'string' ? f.got : undefined);
    throw new PluginFailure(failureMessage(e, name, 'factory', undefined, undefined, display, url), { cause: e });
  }
  if (typeof plugin !== 'object' || plugin === null) {
    throw new PluginFailure(`plugin "${name}" factory returned ${describeValue(plugin)}: expected a plugin object ({ name: ${JSON.stringify(name)}, ...its extension-point methods }) (${display})`);
  }
  if (typeof (plugin as { then?: unknown }).then === 'function') {
    throw new PluginFailure(`plugin "${name}" factory returned a Promise: expected a plugin object ({ name: ${JSON.stringify(name)}, ...its extension-point methods }); a factory is called synchronously, so it cannot be async (${display})`);
  }
  // The configuration, weights, explain's columns and placements.csv's reasons all go by one
  // name: the registered one.
  const own = (plugin as { name?: unknown }).name;
  if (own !== name) {
    throw moduleError(m, `plugins.${name}`, `a plugin named ${JSON.stringify(name)}, the key it is registered under in \`plugins\``, describeValue(own), `its plugin is named ${describeValue(own)}`, 'to make');
  }
  return plugin as Plugin;
}

/** A mistake in a module's exports (`inner`: the path in the module, as plugins.Name; '' for the
 * module as a whole): at the scenario's scheduler.pluginModules entry when the module came from
 * one, naming the module, what `inner` should be (`verb`: "to be", "to make") and `why` (`got`
 * said of the module); else (explain --plugin-module) at the module, with `got`. */
function moduleError(m: PluginModule, inner: string, expected: string, got: string, why: string, verb = 'to be'): InputError {
  const at = m.field;
  if (at === undefined) return new InputError(m.display, 0, 0, inner, expected, got);
  return new InputError(at.file, at.line, at.column, at.path, inner === '' ? expected : `${inner} ${verb} ${expected}`, `${JSON.stringify(m.display)}: ${why}`);
}

/** Why a module did not import. Its own file missing (it was there when the scenario was read)
 * is "no such module"; a module it imports that Node cannot find is named as Node names it,
 * with how to make `ksim` importable, the usual case. Either points at the scenario's field. */
function importError(m: PluginModule, e: unknown): InputError {
  const err = e as NodeJS.ErrnoException;
  const first = (err instanceof Error ? err.message : String(e)).split('\n')[0] ?? '';
  let expected = EXPECTED;
  let why: string;
  if (err?.code === 'ERR_MODULE_NOT_FOUND' && !existsSync(m.path)) why = 'no such module';
  else if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') {
    // (MODULE_NOT_FOUND: a require() of the module's.)
    expected = 'a plugin module whose imports Node can resolve';
    const pkg = /^Cannot find package '([^']+)'/.exec(first)?.[1];
    const hint =
      pkg === 'ksim'
        ? ` (install ksim where the plugin can import it: npm install ksim in its folder or a parent; or import from ksim's dist: '${fileURLToPath(new URL('../index.js', import.meta.url))}')`
        : pkg !== undefined
          ? ` (install ${pkg} where the plugin can import it: npm install ${pkg} in its folder or a parent)`
          : '';
    why = `${first}${hint}`;
  } else why = `it failed to load: ${loadFailure(m, err)}`;
  const at = m.field;
  if (at === undefined) return new InputError(m.display, 0, 0, '', expected, why);
  // At the scenario's field, the message names the module as the missing-file one does.
  return new InputError(at.file, at.line, at.column, at.path, expected, `${JSON.stringify(m.display)}: ${why}`);
}

/** An exception importing a module, as `file:line:col: Name: message` when its place is known:
 * a link error (a missing export) and, in newer Node, a syntax error carry it at the top of the
 * stack ("file:///m.js:2", the source line, a caret line); a top-level exception, in a frame of
 * the module or of a file it imports; a syntax error in Node 20 nowhere, so the module and the
 * local files it imports are compiled again in a child `node --check` each (only on this error
 * path) for the place it gives, if it reports the same error. */
function loadFailure(m: PluginModule, e: unknown): string {
  if (!(e instanceof Error)) return describeValue(e);
  const what = `${e.name}: ${e.message.split('\n')[0] ?? ''}`;
  const url = pathToFileURL(m.path).href;
  const shown = (u: string) => (u === url ? m.display : u.startsWith('file:') ? fileURLToPath(u) : u);
  const stack = e.stack ?? '';
  const top = /^(\S+):(\d+)\n.*\n( *)\^/.exec(stack);
  if (top !== null) return `${shown(top[1] as string)}:${top[2]}:${(top[3] as string).length + 1}: ${what}`;
  // The innermost frame in a user's file: the module's own or one it imports.
  for (const line of stack.split('\n')) {
    const at = userFrame(line);
    if (at !== null) return `${shown(at.file)}:${at.line}:${at.column}: ${what}`;
  }
  if (e.name === 'SyntaxError') {
    // Node 20 names no file: the module, then the local files it imports, compiled again.
    for (const path of localModules(m.path)) {
      const at = syntaxErrorPlace(path, e.message);
      if (at !== null) return `${path === m.path ? m.display : path}:${at.line}:${at.column}: ${what}`;
    }
  }
  return what;
}

/** ksim's own install (dist/), whose frames are not the user's. */
const KSIM_ROOT = new URL('../../', import.meta.url).href;

/** A stack line's place in a user's file (a file: URL outside ksim's install), or null. */
function userFrame(line: string): { file: string; line: string; column: string } | null {
  const m = /\(?(file:\/\/[^\s)]+?):(\d+):(\d+)\)?$/.exec(line.trim());
  if (m === null || (m[1] as string).startsWith(KSIM_ROOT)) return null;
  return { file: m[1] as string, line: m[2] as string, column: m[3] as string };
}

/** The module at `path` and the relative files it imports statically, transitively, breadth
 * first (at most 50): where a syntax error Node does not place may be. */
function localModules(path: string): string[] {
  const out = [path];
  for (let i = 0; i < out.length && out.length < 50; i++) {
    let source: string;
    try {
      source = readFileSync(out[i] as string, 'utf8');
    } catch {
      continue;
    }
    for (const imp of source.matchAll(/(?:^|[\s;])(?:import|export)\s*(?:[^'";]*?\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const next = resolvePath(dirname(out[i] as string), imp[1] as string);
      if (!out.includes(next) && existsSync(next)) out.push(next);
    }
  }
  return out;
}

/** Where `node --check` puts the syntax error `message` in the module at `path`, or null. */
function syntaxErrorPlace(path: string, message: string): { line: number; column: number } | null {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const args = path.endsWith('.cjs') ? ['--check', path] : ['--input-type=module', '--check'];
  const r = spawnSync(process.execPath, args, { input: source, encoding: 'utf8', timeout: 10_000 });
  const place = /^\S+:(\d+)\n.*\n( *)\^[^\n]*\n\n(\w*Error): (.*)$/m.exec(r.stderr ?? '');
  if (place === null || place[3] !== 'SyntaxError' || place[4] !== message) return null;
  return { line: Number(place[1]), column: (place[2] as string).length + 1 };
}

/** Extension-point methods a user plugin may have: the name for messages, the arguments that
 * are the pod and the node (-1: none), and what the method returns that the framework reads. */
const METHODS: Readonly<Record<string, { point: string; pod: number; node: number; returns: 'verdict' | 'status' | 'other' }>> = {
  preEnqueue: { point: 'PreEnqueue', pod: 0, node: -1, returns: 'verdict' },
  less: { point: 'QueueSort', pod: -1, node: -1, returns: 'other' },
  preFilter: { point: 'PreFilter', pod: 1, node: -1, returns: 'status' },
  addPod: { point: 'PreFilter AddPod', pod: 1, node: 3, returns: 'verdict' },
  removePod: { point: 'PreFilter RemovePod', pod: 1, node: 3, returns: 'verdict' },
  filter: { point: 'Filter', pod: 1, node: 2, returns: 'verdict' },
  postFilter: { point: 'PostFilter', pod: 1, node: -1, returns: 'status' },
  preScore: { point: 'PreScore', pod: 1, node: -1, returns: 'verdict' },
  score: { point: 'Score', pod: 1, node: 2, returns: 'other' },
  scoreNodes: { point: 'Score', pod: 1, node: -1, returns: 'other' },
  // Its verdicts are written into its last argument (checked below).
  filterNodes: { point: 'Filter', pod: 1, node: -1, returns: 'other' },
  normalizeScore: { point: 'NormalizeScore', pod: 1, node: -1, returns: 'verdict' },
  reserve: { point: 'Reserve', pod: 1, node: 2, returns: 'verdict' },
  unreserve: { point: 'Unreserve', pod: 1, node: 2, returns: 'other' },
  permit: { point: 'Permit', pod: 1, node: 2, returns: 'status' },
  preBind: { point: 'PreBind', pod: 1, node: 2, returns: 'verdict' },
  // Its verdict comes through `done` (wrapped below); the return value is not read.
  bind: { point: 'Bind', pod: 1, node: 2, returns: 'other' },
  postBind: { point: 'PostBind', pod: 1, node: 2, returns: 'other' },
  eventsToRegister: { point: 'EventsToRegister', pod: -1, node: -1, returns: 'other' },
};

type Method = (this: unknown, a?: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown, f?: unknown) => unknown;

/**
 * A user plugin as the framework sees it: an object inheriting from the plugin whose
 * extension-point methods (only those it has, so the points it implements stay the same) call
 * the plugin's with `this` the plugin, turn an exception into a PluginFailure naming the plugin,
 * the point, the pod and node, and turn a returned value that is not a Verdict into an Error
 * Status, telling the profile's audit first (with --check-invariants that stops the run, as a
 * bad score does). Built-in plugins are not wrapped, so they pay nothing for this; a verdict
 * costs one type check.
 */
function guardPlugin(plugin: Plugin, registered: string, display: string, url: string, handle: FrameworkHandle | undefined): Plugin {
  if (typeof plugin !== 'object' || plugin === null) return plugin; // the framework refuses it
  const name = typeof plugin.name === 'string' ? plugin.name : registered;
  const guarded = Object.create(plugin) as Plugin;
  Object.defineProperty(guarded, FROM_PLUGIN_MODULE, { value: true });
  const fail = (e: unknown, point: string, pod: unknown, node: unknown): unknown => {
    if (e instanceof PluginFailure) return e; // thrown by a plugin this one called (through the handle)
    return new PluginFailure(failureMessage(e, name, point, pod, node, display, url), { cause: e });
  };
  // A value that is no verdict: the audit hears of it (the handle's framework is read only
  // now, on this rare path: the checker attaches its audit after the plugins are made).
  const notVerdict = (message: string, pod: unknown, node: unknown): Status => {
    const audit = (handle as Partial<FrameworkHandle> | undefined)?.framework?.audit;
    if (audit !== null && audit !== undefined) audit.badVerdict(name, podArg(pod), nodeArg(node), message);
    return new Status(Code.Error, [message], name);
  };
  const verdict = (v: unknown, point: string, pod: unknown, node: unknown): Verdict => {
    if (v === null) return null;
    return ownStatus(v) ?? notVerdict(notAVerdict(v, name, point), pod, node);
  };
  for (const [method, how] of Object.entries(METHODS)) {
    const fn = (plugin as unknown as Record<string, unknown>)[method];
    if (typeof fn !== 'function') continue;
    const call = fn as Method;
    const { point } = how;
    let wrapped: Method;
    if (method === 'bind') {
      wrapped = (a, b, c, d) => {
        const done = d as (v: unknown) => void;
        try {
          return call.call(plugin, a, b, c, (v: unknown) => done(v === null || v instanceof Status ? v : verdict(v, point, b, c)));
        } catch (e) {
          throw fail(e, point, b, c);
        }
      };
    } else if (method === 'filterNodes') {
      wrapped = (a, b, c, d, e, f) => {
        let r: unknown;
        try {
          r = call.call(plugin, a, b, c, d, e, f);
        } catch (err) {
          throw fail(err, point, b, undefined);
        }
        // The rejections it wrote are verdicts too: the framework reads their codes.
        const rej = f as FilterRejections;
        const n = typeof r === 'number' ? Math.min(r, rej.verdicts.length) : 0;
        for (let q = 0; q < n; q++) {
          const v = rej.verdicts[q] as unknown;
          if (v !== null && !(v instanceof Status)) rej.verdicts[q] = verdict(v, point, b, (c as readonly unknown[])[rej.at[q] as number]);
        }
        return r;
      };
    } else if (method === 'eventsToRegister') {
      wrapped = () => {
        let r: unknown;
        try {
          r = call.call(plugin);
        } catch (e) {
          throw fail(e, point, undefined, undefined);
        }
        if (!Array.isArray(r)) throw new PluginFailure(`plugin "${name}" eventsToRegister returned ${describeValue(r)}: expected a list of { event: { resource, actionType }, hint? } (${display})`);
        return r.map((ev: unknown, i: number) => {
          const why = eventEntryProblem(ev);
          if (why !== null) throw new PluginFailure(`plugin "${name}" eventsToRegister()[${i}]: ${why} (${display})`);
          return guardHint(ev, fail, name, display);
        });
      };
    } else {
      const { pod, node, returns } = how;
      wrapped = (a, b, c, d) => {
        let r: unknown;
        try {
          r = call.call(plugin, a, b, c, d);
        } catch (e) {
          const args = [a, b, c, d];
          throw fail(e, point, args[pod], args[node]);
        }
        if (returns === 'verdict') return r === null || r instanceof Status ? r : verdict(r, point, nth(pod, a, b, c, d), nth(node, a, b, c, d));
        if (returns === 'status') {
          const s = typeof r === 'object' && r !== null ? (r as { status?: unknown }).status : undefined;
          if (s === null || s instanceof Status) return r;
          const problem = resultProblem(r, name, point);
          if (problem !== null) return { status: notVerdict(problem, nth(pod, a, b, c, d), nth(node, a, b, c, d)) };
          return { ...(r as object), status: verdict(s, point, nth(pod, a, b, c, d), nth(node, a, b, c, d)) };
        }
        return r;
      };
    }
    Object.defineProperty(guarded, method, { value: wrapped, writable: true, configurable: true });
  }
  return guarded;
}

/** What is wrong with a `{ status, ... }` result (PreFilter, PostFilter, Permit) as a whole, or
 * null when only its status can be (checked as a verdict). */
function resultProblem(r: unknown, plugin: string, point: string): string | null {
  if (typeof r !== 'object' || r === null) {
    return `plugin "${plugin}" ${point} returned ${describeValue(r)}: expected { status: null or a Status, ... } (import { Status } from 'ksim')`;
  }
  // A bare Status (or status-shaped object) where the { status, ... } wrapper belongs: say so,
  // rather than that its missing `status` field is undefined.
  const looksLikeStatus = r instanceof Status || ('code' in r && 'reasons' in r && !('status' in r));
  if (looksLikeStatus) return `plugin "${plugin}" ${point} returned a Status: expected { status: null or a Status, ... } (wrap it: { status })`;
  return null;
}

/** Argument `i` of a call (a, b, c, d); undefined for -1. */
function nth(i: number, a: unknown, b: unknown, c: unknown, d: unknown): unknown {
  return i === 0 ? a : i === 1 ? b : i === 2 ? c : i === 3 ? d : undefined;
}

/** A pod argument as the audit takes it: a PodInfo (it has a key), else null. */
function podArg(pod: unknown): PodInfo | null {
  return typeof (pod as { key?: unknown } | null | undefined)?.key === 'string' ? (pod as PodInfo) : null;
}

/** A node argument (a NodeInfo, or a node's name) as the audit takes it: its name, or null. */
function nodeArg(node: unknown): string | null {
  const n = typeof node === 'string' ? node : (node as { name?: unknown } | null | undefined)?.name;
  return typeof n === 'string' ? n : null;
}

const EVENT_RESOURCES: readonly string[] = ['Pod', 'Node', 'AssignedPod', 'UnscheduledPod', '*'];

/** What is wrong with an eventsToRegister entry (framework/events.ts ClusterEventWithHint), or
 * null: the queue would otherwise crash on it, or silently never requeue the plugin's pods. */
function eventEntryProblem(ev: unknown): string | null {
  const shape = '{ event: { resource, actionType }, hint? }';
  if (typeof ev !== 'object' || ev === null) return `expected ${shape}, got ${describeValue(ev)}`;
  const e = (ev as { event?: unknown }).event;
  if (typeof e !== 'object' || e === null) {
    return `expected ${shape}, got ${'resource' in ev ? 'resource and actionType outside `event`' : `event ${describeValue(e)}`}`;
  }
  const { resource, actionType } = e as { resource?: unknown; actionType?: unknown };
  if (typeof resource !== 'string' || !EVENT_RESOURCES.includes(resource)) return `event.resource: expected one of ${EVENT_RESOURCES.join(', ')}, got ${describeValue(resource)}`;
  if (typeof actionType !== 'number' || !Number.isInteger(actionType) || actionType <= 0 || actionType > ActionType.All) {
    return `event.actionType: expected ActionType bits (import { ActionType } from 'ksim'), got ${describeValue(actionType)}`;
  }
  const hint = (ev as { hint?: unknown }).hint;
  if (hint !== undefined && typeof hint !== 'function') return `hint: expected a function (pod, oldObj, newObj) => 'Queue' | 'QueueSkip', got ${describeValue(hint)}`;
  return null;
}

/** An eventsToRegister entry whose queueing hint reports its exceptions, and a value other than
 * 'Queue' or 'QueueSkip', as the plugin's. */
function guardHint(ev: unknown, fail: (e: unknown, point: string, pod: unknown, node: unknown) => unknown, name: string, display: string): unknown {
  const hint = (ev as { hint?: unknown } | null)?.hint;
  if (typeof hint !== 'function') return ev;
  return {
    ...(ev as object),
    hint: (pod: unknown, oldObj: unknown, newObj: unknown) => {
      let r: unknown;
      try {
        r = (hint as Method).call(ev, pod, oldObj, newObj);
      } catch (e) {
        throw fail(e, 'QueueingHint', pod, undefined);
      }
      if (r === 'Queue' || r === 'QueueSkip') return r;
      throw new PluginFailure(`plugin "${name}" QueueingHint returned ${describeValue(r)}: expected 'Queue' or 'QueueSkip' (${display})`);
    },
  };
}

/** `plugin "X" Filter threw Error: boom (pod default/web-1, node n-2)`, then the top stack frame
 * in the plugin's module, with its path as the user wrote it. */
function failureMessage(e: unknown, plugin: string, point: string, pod: unknown, node: unknown, display: string, url: string): string {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : `${describeValue(e)}`;
  const podKey = (pod as { key?: unknown } | null | undefined)?.key;
  const nodeName = typeof node === 'string' ? node : (node as { name?: unknown } | null | undefined)?.name;
  const where = [typeof podKey === 'string' ? `pod ${podKey}` : '', typeof nodeName === 'string' ? `node ${nodeName}` : ''].filter((s) => s !== '').join(', ');
  // The user's frames, innermost first, down to the plugin module's own: a helper module the
  // plugin imports, where the exception was thrown, and the plugin's line that called it.
  const frames: string[] = [];
  if (e instanceof Error) {
    for (const l of (e.stack ?? '').split('\n')) {
      const line = l.trim();
      if (!line.startsWith('at ')) continue;
      if (line.includes(url)) {
        frames.push(line.replaceAll(url, display));
        break;
      }
      const at = userFrame(line);
      if (at !== null) frames.push(line.replaceAll(at.file, relative(process.cwd(), fileURLToPath(at.file))));
    }
    if (!frames.some((f) => f.includes(display))) frames.length = 0;
  }
  return `plugin "${plugin}" ${point} threw ${what}${where === '' ? '' : ` (${where})`}${frames.map((f) => `\n    ${f}`).join('')}`;
}
