// The baseline of `npm run bench`'s cold-check figure: read every YAML file under a folder and
// parse it with the `yaml` package, nothing else (what a tool that reads manifests cannot avoid).
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

let documents = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (/\.ya?ml$/.test(entry.name)) documents += parseAllDocuments(readFileSync(full, 'utf8'), { prettyErrors: false, merge: true }).length;
  }
}
walk(process.argv[2]);
console.log(documents);
