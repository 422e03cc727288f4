/**
 * Snapshot assertions for text outputs. `UPDATE_EXPECT=1 npm test` rewrites the expectation
 * files; a missing expectation file fails unless updating, so a snapshot is never silently new.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

const SNAPSHOT_DIR = path.join(__dirname, '..', 'snapshots');

export function expectSnapshot(actual: string, name: string): void {
  const file = path.join(SNAPSHOT_DIR, name);
  const normalized = actual.endsWith('\n') ? actual : `${actual}\n`;
  if (process.env.UPDATE_EXPECT === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, normalized);
    return;
  }
  assert.ok(existsSync(file), `missing snapshot ${path.relative(process.cwd(), file)}; run UPDATE_EXPECT=1 npm test to create it`);
  assert.equal(normalized, readFileSync(file, 'utf8'), `snapshot ${name} differs; if the change is intended, run UPDATE_EXPECT=1 npm test`);
}
