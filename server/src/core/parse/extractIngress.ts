/** Reads Ingresses in every API version (v1, and the removed v1beta1 forms), IngressClasses and HPAs. */
import type { Node, YAMLMap } from 'yaml';
import type {
  Field,
  Hpa,
  Ingress,
  IngressBackend,
  IngressClass,
  IngressPath,
  IngressRule,
  ResourceBase,
} from '../model';
import { REMOVED_INGRESS_API_VERSIONS } from './kinds';
import type { Reader } from './reader';
import { goParseBool } from '../semantics/nginxAnnotations';

export const ANNOTATION = {
  ingressClass: 'kubernetes.io/ingress.class',
  rewriteTarget: 'nginx.ingress.kubernetes.io/rewrite-target',
  useRegex: 'nginx.ingress.kubernetes.io/use-regex',
  canary: 'nginx.ingress.kubernetes.io/canary',
  defaultClass: 'ingressclass.kubernetes.io/is-default-class',
} as const;

function annotation(reader: Reader, root: YAMLMap, key: string): Field<string> | undefined {
  return reader.string(reader.path(root, 'metadata', 'annotations', key));
}

/** An ingress-nginx boolean annotation, read as the controller reads it: Go's strconv.ParseBool ("True", "1", …). */
function annotationIsTrue(reader: Reader, root: YAMLMap, key: string): boolean {
  const value = annotation(reader, root, key);
  return value !== undefined && !value.unknown && goParseBool(value.value) === true;
}

/** `ingressclass.kubernetes.io/is-default-class`: Kubernetes compares it with "true" exactly (networking/v1 IsDefaultIngressClass). */
function annotationIsExactlyTrue(reader: Reader, root: YAMLMap, key: string): boolean {
  const value = annotation(reader, root, key);
  return value !== undefined && !value.unknown && value.value === 'true';
}

export function extractIngress(reader: Reader, root: YAMLMap, base: ResourceBase): Ingress {
  const spec = reader.map(reader.get(root, 'spec'));
  const defaultBackendNode = reader.get(spec, 'defaultBackend') ?? reader.get(spec, 'backend');
  return Object.assign(base, {
    type: 'ingress' as const,
    removedApi: REMOVED_INGRESS_API_VERSIONS.has(base.apiVersion),
    ingressClassName: reader.string(reader.get(spec, 'ingressClassName')),
    classAnnotation: annotation(reader, root, ANNOTATION.ingressClass),
    rewriteTarget: annotation(reader, root, ANNOTATION.rewriteTarget),
    useRegex: annotationIsTrue(reader, root, ANNOTATION.useRegex),
    canary: annotationIsTrue(reader, root, ANNOTATION.canary),
    rules: (reader.seq(reader.get(spec, 'rules'))?.items ?? []).map((item) => readRule(reader, item)),
    defaultBackend: defaultBackendNode ? readBackend(reader, defaultBackendNode) : undefined,
    tlsEntries: reader.seq(reader.get(spec, 'tls'))?.items.length ?? 0,
    tlsHosts: (reader.seq(reader.get(spec, 'tls'))?.items ?? []).flatMap((tls) => (reader.seq(reader.get(reader.map(tls), 'hosts'))?.items ?? []).map((h) => reader.knownString(reader.deref(h))?.value).filter((h): h is string => h !== undefined)),
    tls: (reader.seq(reader.get(spec, 'tls'))?.items ?? []).map((tls) => {
      const map = reader.map(tls);
      const secretName = reader.knownString(reader.get(map, 'secretName'))?.value;
      return { hosts: (reader.seq(reader.get(map, 'hosts'))?.items ?? []).map((h) => reader.knownString(reader.deref(h))?.value).filter((h): h is string => h !== undefined), ...(secretName !== undefined ? { secretName } : {}) };
    }),
  });
}

function readRule(reader: Reader, item: unknown): IngressRule {
  const map = reader.map(item);
  const paths = reader.seq(reader.path(map, 'http', 'paths'))?.items ?? [];
  return {
    range: reader.range(item as Node),
    host: reader.string(reader.get(map, 'host')),
    paths: paths.map((p) => readPath(reader, p)),
  };
}

function readPath(reader: Reader, item: unknown): IngressPath {
  const map = reader.map(item);
  const backend = reader.get(map, 'backend');
  return {
    range: reader.range(item as Node),
    path: reader.string(reader.get(map, 'path')),
    pathType: reader.knownString(reader.get(map, 'pathType')),
    backend: backend ? readBackend(reader, backend) : undefined,
  };
}

function readBackend(reader: Reader, node: Node): IngressBackend {
  const map = reader.map(node);
  const range = reader.range(node);
  const service = reader.map(reader.get(map, 'service'));
  if (service) {
    const port = reader.map(reader.get(service, 'port'));
    const numberNode = reader.get(port, 'number');
    return {
      range,
      service: {
        name: reader.string(reader.get(service, 'name')) ?? { unknown: true, range: reader.range(reader.keyNode(map, 'service')) },
        port: numberNode ? reader.int(numberNode) : reader.string(reader.get(port, 'name')),
      },
      isResource: false,
      legacy: false,
    };
  }
  const legacyName = reader.string(reader.get(map, 'serviceName'));
  if (legacyName) {
    return { range, service: { name: legacyName, port: reader.intOrString(reader.get(map, 'servicePort')) }, isResource: false, legacy: true };
  }
  return { range, isResource: reader.get(map, 'resource') !== undefined, legacy: false };
}

export function extractIngressClass(reader: Reader, root: YAMLMap, base: ResourceBase): IngressClass {
  return Object.assign(base, {
    type: 'ingressClass' as const,
    removedApi: REMOVED_INGRESS_API_VERSIONS.has(base.apiVersion),
    controller: reader.knownString(reader.path(root, 'spec', 'controller')),
    isDefault: annotationIsExactlyTrue(reader, root, ANNOTATION.defaultClass),
  });
}

export function extractHpa(reader: Reader, root: YAMLMap, base: ResourceBase): Hpa {
  const refNode = reader.path(root, 'spec', 'scaleTargetRef');
  const ref = reader.map(refNode);
  return Object.assign(base, {
    type: 'hpa' as const,
    scaleTargetRef: ref
      ? {
          range: reader.range(refNode),
          kind: reader.string(reader.get(ref, 'kind')),
          name: reader.string(reader.get(ref, 'name')),
          apiVersion: reader.knownString(reader.get(ref, 'apiVersion')),
        }
      : undefined,
    minReplicas: reader.int(reader.path(root, 'spec', 'minReplicas')),
    maxReplicas: reader.int(reader.path(root, 'spec', 'maxReplicas')),
  });
}
