// Container image references as the scheduler and the kubelet compare them.

/** Upstream normalizedImageName (pkg/scheduler/framework/plugins/imagelocality/image_locality.go):
 * appends ":latest" when the reference has no tag (the last ":" is not after the last "/").
 * Registries and "library/" are not added. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}
