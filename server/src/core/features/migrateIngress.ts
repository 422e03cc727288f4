/**
 * Rewrites a removed `extensions/v1beta1` / `networking.k8s.io/v1beta1` Ingress (or IngressClass)
 * as `networking.k8s.io/v1`, editing the `yaml` document so that comments survive:
 * serviceName/servicePort → service.name/port.number|name, a missing pathType → ImplementationSpecific
 * (the old behaviour), spec.backend → spec.defaultBackend, and the class annotation →
 * spec.ingressClassName.
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, YAMLMap } from 'yaml';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** The migrated text of one document, or undefined if it cannot be read safely. */
export function migrateIngressText(text: string): string | undefined {
  // Re-serialising recurses per level, and more deeply than parsing: a document nested beyond
  // what any Ingress needs gets no quick fix rather than a stack overflow (or seconds of work).
  if (nestedDeeperThan(text, MAX_MIGRATE_DEPTH)) return undefined;
  try {
    const doc = parseDocument(text);
    if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
    doc.set('apiVersion', 'networking.k8s.io/v1');
    if (doc.get('kind') === 'Ingress') migrateSpec(doc);
    // Keep the author's sequence style: `- ` under its key (compact) or indented below it.
    const compactSequences = /^( *)[^\s#-][^\n]*:\n\1- /m.test(text);
    return doc.toString({ lineWidth: 0, indentSeq: !compactSequences }).replace(/\n$/, '');
  } catch {
    return undefined;
  }
}

/** An Ingress is a dozen levels deep; anything past this is not one to rewrite. */
const MAX_MIGRATE_DEPTH = 64;

/** Whether brackets or indentation go deeper than `limit` (cheap, conservative). */
function nestedDeeperThan(text: string, limit: number): boolean {
  if (new RegExp(`^ {${limit * 2}}`, 'm').test(text)) return true;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return false;
}

function migrateSpec(doc: Document): void {
  const spec = doc.get('spec', true);
  if (!isMap(spec)) return;
  const backend = spec.get('backend', true);
  if (isMap(backend)) {
    migrateBackend(doc, backend);
    spec.delete('backend');
    spec.set('defaultBackend', backend);
  }
  const rules = spec.get('rules', true);
  for (const rule of isSeq(rules) ? rules.items : []) {
    const paths = isMap(rule) ? rule.getIn(['http', 'paths'], true) : undefined;
    for (const path of isSeq(paths) ? paths.items : []) {
      if (!isMap(path)) continue;
      if (!path.has('pathType')) insertAfter(doc, path, 'path', 'pathType', 'ImplementationSpecific');
      const pathBackend = path.get('backend', true);
      if (isMap(pathBackend)) migrateBackend(doc, pathBackend);
    }
  }
  moveClassAnnotation(doc, spec);
}

function migrateBackend(doc: Document, backend: YAMLMap): void {
  const name = backend.get('serviceName', true);
  const port = backend.get('servicePort', true);
  if (name === undefined) return;
  const portValue = isScalar(port) ? port.value : undefined;
  const portField = typeof portValue === 'number' ? { number: portValue } : typeof portValue === 'string' && /^\d+$/.test(portValue) ? { number: Number(portValue) } : portValue !== undefined ? { name: String(portValue) } : undefined;
  backend.delete('serviceName');
  backend.delete('servicePort');
  const service = doc.createNode({ name: isScalar(name) ? name.value : name, ...(portField ? { port: portField } : {}) });
  backend.set('service', service);
}

/** Adds a key right after another one (or first), so the result reads in the usual order. */
function insertAfter(doc: Document, map: YAMLMap, after: string, key: string, value: unknown): void {
  const index = map.items.findIndex((pair) => isScalar(pair.key) && pair.key.value === after);
  map.items.splice(index + 1, 0, doc.createPair(key, value));
}

function moveClassAnnotation(doc: Document, spec: YAMLMap): void {
  const annotations = doc.getIn(['metadata', 'annotations'], true);
  if (!isMap(annotations) || !annotations.has(CLASS_ANNOTATION)) return;
  const value = annotations.get(CLASS_ANNOTATION);
  if (typeof value !== 'string' || spec.has('ingressClassName')) return;
  annotations.delete(CLASS_ANNOTATION);
  if (annotations.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
  spec.items.unshift(doc.createPair('ingressClassName', value));
}
