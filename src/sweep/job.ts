// `ksim sweep ... --emit-job`: a Kubernetes batch/v1 Indexed Job that runs the sweep as N
// shards, one pod per completion index, so a sweep runs on any cluster with no protocol of
// ksim's own. The Job controller gives each pod JOB_COMPLETION_INDEX (0 ... N-1), which the
// container maps to `--shard INDEX+1/N`; every shard writes its own folder on a shared volume
// and `ksim merge` joins them.
// Indexed Jobs: https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
// (completionMode Indexed needs restartPolicy Never or OnFailure, completions set).
import { stringify } from 'yaml';
import { InputError } from '../api/input-error.js';

export interface JobOptions {
  /** The sweep's own arguments (scenario first), without -o, --shard, --workers or the job flags. */
  readonly sweepArgs: readonly string[];
  /** -o: the sweep folder, relative to the volume; shard I writes <output>/shard-I. */
  readonly output: string;
  readonly shards: number;
  /** Pods at a time (default: all shards). */
  readonly parallelism?: number;
  /** Worker threads per pod (default 1); the pod requests that many CPUs. */
  readonly workers?: number;
  readonly image: string;
  /** The PersistentVolumeClaim holding the scenario and receiving the outputs. */
  readonly volumeClaim: string;
  /** Where the volume is mounted: the container's working directory. */
  readonly volumePath: string;
  readonly name: string;
  readonly namespace?: string;
}

/** A DNS-1123 label from free text: a Job name (pods add a suffix, so kept to 52 characters). */
export function jobName(text: string): string {
  const s = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 52).replace(/-+$/, '');
  return s === '' ? 'ksim-sweep' : s;
}

/** One shell word: single-quoted unless plainly safe. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

export function indexedJob(o: JobOptions): Record<string, unknown> {
  const checkInt = (flag: string, v: number, min: number) => {
    if (!Number.isSafeInteger(v) || v < min) throw new InputError(flag, 0, 0, '', `an integer >= ${min}`, String(v));
  };
  checkInt('--shards', o.shards, 1);
  checkInt('--parallelism', o.parallelism ?? o.shards, 1);
  checkInt('--workers', o.workers ?? 1, 1);
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(o.name) || o.name.length > 52) {
    throw new InputError('--job-name', 0, 0, '', 'a DNS-1123 label of at most 52 characters (lower-case letters, digits, -)', JSON.stringify(o.name));
  }
  if (!o.volumePath.startsWith('/')) throw new InputError('--volume-path', 0, 0, '', 'an absolute path', JSON.stringify(o.volumePath));
  const workers = o.workers ?? 1;
  const shard = '$((JOB_COMPLETION_INDEX + 1))';
  const command = [
    'ksim', 'sweep', ...o.sweepArgs.map(shellQuote),
    '--workers', String(workers),
    '--shard', `${shard}/${o.shards}`,
    '-o', `${shellQuote(o.output)}/shard-${shard}`,
  ].join(' ');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: o.name,
      ...(o.namespace !== undefined ? { namespace: o.namespace } : {}),
      labels: { 'app.kubernetes.io/name': 'ksim', 'app.kubernetes.io/component': 'sweep' },
    },
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: o.parallelism ?? o.shards,
      // A pod that fails is retried; the retry resumes its shard (runs complete on the volume
      // are skipped).
      backoffLimit: Math.max(6, o.shards),
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'ksim', 'app.kubernetes.io/component': 'sweep' } },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'ksim',
            image: o.image,
            workingDir: o.volumePath,
            command: ['sh', '-c', command],
            // The Job controller sets JOB_COMPLETION_INDEX itself (Kubernetes >= 1.22); the
            // downward API names the annotation it comes from, for older clusters.
            env: [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }],
            resources: { requests: { cpu: String(workers), memory: '1Gi' } },
            volumeMounts: [{ name: 'ksim-data', mountPath: o.volumePath }],
          }],
          volumes: [{ name: 'ksim-data', persistentVolumeClaim: { claimName: o.volumeClaim } }],
        },
      },
    },
  };
}

export function indexedJobYaml(o: JobOptions): string {
  return stringify(indexedJob(o), { lineWidth: 0 });
}
