/**
 * A map from keys to small sets of values, stored compactly: most index keys have exactly one
 * value (one Service of a name, one workload with a label), so a value is kept inline, a few
 * values in an array, and only large groups (every Ingress depends on its IngressClass) in a Set.
 * This keeps a 10k-application index small and its updates fast.
 */
const SET_THRESHOLD = 16;

type Slot<V> = V | V[] | Set<V>;

export class MultiMap<V extends object | string> {
  private readonly map = new Map<string, Slot<V>>();

  add(key: string, value: V): void {
    const current = this.map.get(key);
    if (current === undefined) this.map.set(key, value);
    else if (current instanceof Set) current.add(value);
    else if (Array.isArray(current)) {
      if (current.includes(value)) return;
      if (current.length < SET_THRESHOLD) current.push(value);
      else this.map.set(key, new Set([...current, value]));
    } else if (current !== value) this.map.set(key, [current as V, value]);
  }

  delete(key: string, value: V): void {
    const current = this.map.get(key);
    if (current === undefined) return;
    if (current instanceof Set) {
      current.delete(value);
      if (current.size === 0) this.map.delete(key);
    } else if (Array.isArray(current)) {
      const index = current.indexOf(value);
      if (index < 0) return;
      current.splice(index, 1);
      if (current.length === 1) this.map.set(key, current[0]);
    } else if (current === value) {
      this.map.delete(key);
    }
  }

  count(key: string): number {
    const current = this.map.get(key);
    if (current === undefined) return 0;
    if (current instanceof Set) return current.size;
    return Array.isArray(current) ? current.length : 1;
  }

  get(key: string): readonly V[] {
    const current = this.map.get(key);
    if (current === undefined) return [];
    if (current instanceof Set) return [...current];
    return Array.isArray(current) ? current : [current as V];
  }
}
