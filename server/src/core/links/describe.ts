/** Short human names for resources and locations, shared by messages, hovers and the CLI. */
import type { Resource } from '../model';

/** `Deployment \`web\`` (with the namespace when it is not the one of the reader). */
export function describe(resource: Resource, fromNamespace?: string): string {
  const name = resource.name?.value ?? '(unnamed)';
  const ns = resource.namespace && fromNamespace !== undefined && resource.namespace !== fromNamespace ? `${resource.namespace}/` : '';
  return `${resource.kind} \`${ns}${name}\``;
}

export function nameOf(resource: Resource): string {
  return resource.name?.value ?? '(unnamed)';
}

export function code(text: string | number): string {
  return `\`${text}\``;
}
