import type { DeclaredIngressClass } from '../model';

/** Settings that change what the engine concludes (rule severities are applied later, on output). */
export interface EngineSettings {
  /** Namespace of objects without `metadata.namespace`. */
  readonly defaultNamespace: string;
  /** The cluster's `--service-node-port-range`. */
  readonly nodePortRange: { readonly min: number; readonly max: number };
  /** Files larger than this many characters are not analysed. */
  readonly maxFileSize: number;
  /** IngressClasses installed in the cluster outside the workspace (workspace configuration). */
  readonly ingressClasses: readonly DeclaredIngressClass[];
}

export const DEFAULT_SETTINGS: EngineSettings = {
  defaultNamespace: 'default',
  nodePortRange: { min: 30000, max: 32767 },
  maxFileSize: 5 * 1024 * 1024,
  ingressClasses: [],
};

/** Parses `30000-32767`; undefined when malformed. */
export function parsePortRange(text: string): EngineSettings['nodePortRange'] | undefined {
  const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const min = Number(match[1]);
  const max = Number(match[2]);
  return min >= 1 && max <= 65535 && min <= max ? { min, max } : undefined;
}
