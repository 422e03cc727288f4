/**
 * Kubernetes name rules (k8s.io/apimachinery pkg/util/validation). Each validator returns the
 * reason a value is invalid, or undefined when it is valid.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME_CHARS = /^[-a-z0-9]+$/;

/** RFC 1123 label: Service port names. */
export function dns1123LabelError(value: string): string | undefined {
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!DNS1123_LABEL.test(value)) {
    return "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/** IANA_SVC_NAME: container port names, string targetPorts, Ingress backend `port.name`. */
export function ianaServiceNameError(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > 15) return 'must be no more than 15 characters';
  if (!IANA_SVC_NAME_CHARS.test(value)) return "must contain only lowercase letters, digits and '-'";
  if (!/[a-z]/.test(value)) return 'must contain at least one letter (a-z)';
  if (value.includes('--')) return "must not contain consecutive hyphens ('--')";
  if (value.startsWith('-') || value.endsWith('-')) return "must not begin or end with a hyphen ('-')";
  return undefined;
}

export function isValidPortNumber(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment), so the typical typos
 * `shpo`/`shop` and `svcc`/`svc` both count as one edit.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[i][j] = j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2][j - 2] + 1);
      rows[i][j] = best;
    }
  }
  return rows[a.length][b.length];
}

/** The closest candidate within a small edit distance (1, or 2 for values of 6+ characters). */
export function closestMatch(value: string, candidates: Iterable<string>): string | undefined {
  const limit = value.length >= 6 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === value) continue;
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
