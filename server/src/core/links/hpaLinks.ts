/** HorizontalPodAutoscaler scaleTargetRef → the workload it scales. */
import type { Link, NearMiss } from '../analysis/types';
import type { Query } from '../analysis/query';
import type { Hpa, Known, Resource } from '../model';
import { SCALABLE_KINDS } from '../parse/kinds';
import { makeLink } from './makeLink';
import { closestNameMiss } from './nearMisses';
import { key } from '../workspace/keys';
import { describe, nameOf } from './describe';
import { nearbyReach, nearest, within } from '../workspace/scopes';

export function resolveHpaTarget(hpa: Hpa, q: Query): Link | undefined {
  const ref = hpa.scaleTargetRef;
  if (!ref?.name || !ref.kind) return undefined;
  const base = { kind: 'hpa-target' as const, sourceId: hpa.id, uri: hpa.uri, range: ref.name.range };
  if (ref.name.unknown || ref.kind.unknown) return makeLink(base, { status: 'unknown', targets: [], text: '' });
  const text = `${ref.kind.value}/${ref.name.value}`;
  const found = nearest(hpa, q.lookup(key.object(ref.kind.value, hpa.namespace, ref.name.value)), q).items;
  if (found.length > 0) {
    return makeLink(base, { status: 'resolved', targets: found.map((r) => ({ resourceId: r.id, uri: r.uri, range: r.anchor })), text });
  }
  const workloads = q.lookup(key.workloadsIn(hpa.namespace));
  // Custom resources (Argo Rollouts, ...) may be defined elsewhere; only built-in kinds are judged.
  const judged = SCALABLE_KINDS.has(ref.kind.value) && !workloads.some((w) => w.opaqueIdentity);
  return makeLink(base, { status: judged ? 'missing' : 'unknown', targets: [], text, nearMisses: targetMisses(ref.kind, ref.name, within(hpa, workloads, q, nearbyReach(hpa, q))) });
}

function targetMisses(kind: Known<string>, name: Known<string>, workloads: readonly Resource[]): NearMiss[] {
  const sameName = workloads.find((w) => nameOf(w) === name.value && SCALABLE_KINDS.has(w.kind));
  if (sameName) {
    return [{
      resourceId: sameName.id,
      uri: sameName.uri,
      range: sameName.anchor,
      description: `${describe(sameName)} has that name, but scaleTargetRef.kind is ${kind.value}`,
      fix: { range: kind.range, newText: sameName.kind },
    }];
  }
  return closestNameMiss(name.value, name.range, workloads.filter((w) => w.kind === kind.value));
}
