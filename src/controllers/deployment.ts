// Deployment controller (first cut): a new Deployment gets one ReplicaSet named
// <deployment>-<pod-template-hash> with the Deployment's replicas and template, labelled with
// pod-template-hash as upstream pkg/controller/deployment/sync.go does. Rolling updates and
// scaling come with the control-plane work.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { ApiServer } from '../controlplane/api-server.js';
import type { WorkloadObject } from '../cluster/workload-object.js';
import { podTemplateHash } from './names.js';

export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
}

const POD_TEMPLATE_HASH = 'pod-template-hash';

export class DeploymentController {
  constructor(private readonly api: ApiServer) {
    api.watch({
      objectAdded: (o) => {
        if (o.kind === 'Deployment') this.createReplicaSet(o);
      },
    });
  }

  private createReplicaSet(d: WorkloadObject): void {
    const spec = (d.spec ?? {}) as DeploymentSpec;
    const template = spec.template ?? {};
    const hash = podTemplateHash(template);
    const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
    const rs: WorkloadObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace: d.metadata.namespace,
        labels,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, controller: true }],
      },
      spec: {
        replicas: spec.replicas ?? 1,
        selector: {
          ...(spec.selector ?? {}),
          matchLabels: { ...(spec.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash },
        },
        template: { ...template, metadata: { ...(template.metadata ?? {}), labels } },
      },
    };
    this.api.createObject(rs);
  }
}
