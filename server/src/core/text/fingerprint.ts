/**
 * A 32-bit FNV-1a hash of a slice of text in which every run of white space (line breaks
 * included) counts as one space, and leading and trailing white space not at all: enough to tell
 * copies of a manifest that differ only in trailing spaces or blank lines apart from different
 * ones. Equal hashes of different texts are possible but only cost one duplicate finding.
 */
export function fingerprintOf(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  let pending = false;
  let started = false;
  for (let i = start; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9 || ch === 10 || ch === 13) {
      pending = started;
      continue;
    }
    if (pending) hash = Math.imul(hash ^ 32, 0x01000193);
    pending = false;
    started = true;
    hash = Math.imul(hash ^ ch, 0x01000193);
  }
  return hash >>> 0;
}
