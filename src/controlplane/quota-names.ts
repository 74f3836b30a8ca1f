// The resource names and scopes a ResourceQuota may name, as upstream's API validation classifies
// them (pkg/apis/core/helper/helpers.go: IsStandardQuotaResourceName, IsStandardResourceName,
// IsIntegerResourceName, IsStandardResourceQuotaScope, IsResourceQuotaScopeValidForResource).
import { isExtendedResourceName } from '../scheduler/plugins/resource-allocation.js';

/** helpers.go standardQuotaResources (and IsQuotaHugePageResourceName). */
const STANDARD_QUOTA_RESOURCES: ReadonlySet<string> = new Set([
  'cpu', 'memory', 'ephemeral-storage',
  'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'persistentvolumeclaims', 'configmaps',
  'services.nodeports', 'services.loadbalancers',
]);

/** helpers.go standardResources: the quota names, and storage. */
const STANDARD_RESOURCES_BEYOND_QUOTA: ReadonlySet<string> = new Set(['storage']);

/** helpers.go integerResources: object counts. */
const INTEGER_RESOURCES: ReadonlySet<string> = new Set([
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers',
]);

/** IsQuotaHugePageResourceName: hugepages-<size> and requests.hugepages-<size>. */
export function isQuotaHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
}

/** IsStandardQuotaResourceName: a resource the quota system knows by its short name. */
export function isStandardQuotaResourceName(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || isQuotaHugePageResourceName(name);
}

/** IsStandardResourceName. */
export function isStandardResourceName(name: string): boolean {
  return STANDARD_QUOTA_RESOURCES.has(name) || STANDARD_RESOURCES_BEYOND_QUOTA.has(name) || isQuotaHugePageResourceName(name);
}

/** IsIntegerResourceName: object counts and extended resources (count/<resource>.<group> is
 * one: a name with a domain outside kubernetes.io, not starting with "requests."). */
export function isIntegerResourceName(name: string): boolean {
  return INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);
}

/** core.ResourceQuotaScope values (staging/src/k8s.io/api/core/v1/types.go), in their order. */
export const QUOTA_SCOPES: readonly string[] = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'];

/** IsStandardResourceQuotaScope. */
export function isStandardResourceQuotaScope(scope: string): boolean {
  return QUOTA_SCOPES.includes(scope);
}

/** podObjectCountQuotaResources, podComputeQuotaResources, and the PVC ones of the
 * VolumeAttributesClass scope. */
const POD_COUNT = ['pods'];
const POD_COMPUTE = ['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory'];
const PVC_RESOURCES = ['persistentvolumeclaims', 'requests.storage'];

/** IsResourceQuotaScopeValidForResource: the standard quota resources a scope can track. */
export function isResourceQuotaScopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return POD_COUNT.includes(resource) || POD_COMPUTE.includes(resource);
    case 'BestEffort':
      return POD_COUNT.includes(resource);
    case 'VolumeAttributesClass':
      return PVC_RESOURCES.includes(resource);
    default:
      return true;
  }
}

/** The standard quota resources `scope` can track, for messages. */
export function resourcesForScope(scope: string): readonly string[] {
  switch (scope) {
    case 'BestEffort':
      return POD_COUNT;
    case 'VolumeAttributesClass':
      return PVC_RESOURCES;
    default:
      return [...POD_COUNT, ...POD_COMPUTE];
  }
}

/** Scopes that never go together (validateResourceQuotaScopes invalidScopePairs). */
export const CONFLICTING_SCOPES: readonly (readonly [string, string])[] = [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']];

/** Scopes whose selector operator must be Exists (validateScopedResourceSelectorRequirement). */
export const EXISTS_ONLY_SCOPES: ReadonlySet<string> = new Set(['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity']);
