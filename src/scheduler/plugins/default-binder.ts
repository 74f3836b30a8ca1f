// Bind: writes the binding through the API server (upstream plugins/defaultbinder/default_binder.go).
import type { PodInfo } from '../../cluster/pod-info.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { BindPlugin, FrameworkHandle, Plugin, SchedulerServices } from '../framework/interfaces.js';
import { Status, type Verdict } from '../framework/status.js';
import { DefaultBinder } from './names.js';

export class DefaultBinderPlugin implements BindPlugin {
  readonly name = DefaultBinder;
  constructor(private readonly handle: SchedulerServices) {}

  bind(_state: CycleState, pod: PodInfo, nodeName: string, done: (v: Verdict) => void): Verdict {
    this.handle.bindPod(pod, nodeName, (ok, reason) => done(ok ? null : Status.error(reason)));
    return null;
  }
}

export function newDefaultBinder(_args: unknown, handle: FrameworkHandle): Plugin {
  return new DefaultBinderPlugin(handle);
}
