/** Short human names for resources and locations, shared by messages, hovers and the CLI. */
import type { Resource } from '../model';

/** `Deployment \`web\`` (with the namespace when it is not the one of the reader). */
export function describe(resource: Resource, fromNamespace?: string): string {
  const name = resource.name?.value ?? '(unnamed)';
  const ns = resource.namespace && fromNamespace !== undefined && resource.namespace !== fromNamespace ? `${resource.namespace}/` : '';
  return `${resource.kind} \`${ns}${name}\``;
}

/** Two copies of one object (same kind, namespace and name; reported by duplicate-resource), not two objects. */
export function sameObject(a: Resource, b: Resource): boolean {
  return a.kind === b.kind && a.namespace === b.namespace && a.name?.value === b.name?.value;
}

export function nameOf(resource: Resource): string {
  return resource.name?.value ?? '(unnamed)';
}

/** Inline code for plain-text messages (trace steps): single backticks, which the CLI and the trace box show as code. */
export function code(text: string | number): string {
  return `\`${text}\``;
}
