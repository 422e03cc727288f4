/**
 * The `yaml` package's node predicates and walkers, bound once. Bundled as CommonJS, each
 * `isPair(x)` written against the package compiles to a property read through an ES-module
 * interop getter; on the hot paths of reading manifests (millions of calls on a large
 * workspace) that getter alone was ~4% of indexing time. Hot modules import from here.
 */
import * as yaml from 'yaml';

export const isAlias = yaml.isAlias;
export const isMap = yaml.isMap;
export const isPair = yaml.isPair;
export const isScalar = yaml.isScalar;
export const isSeq = yaml.isSeq;
export const visit = yaml.visit;
export const parseAllDocuments = yaml.parseAllDocuments;

/**
 * What every alias of a document names, found in one walk: `Alias.resolve(doc)` walks the whole
 * document on each call, so 20,000 aliases to one anchor cost 20,000 walks. An alias names the
 * last node with its anchor that comes before it in document order (an ancestor included: that
 * is a cycle, which readers must bound). Iterative, so deep nesting is no risk.
 */
export function aliasTargets(doc: yaml.Document): Map<yaml.Alias, yaml.Node | undefined> {
  const table = new Map<yaml.Alias, yaml.Node | undefined>();
  const anchors = new Map<string, yaml.Node>();
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      stack.push(node.value, node.key);
      continue;
    }
    if (isAlias(node)) {
      table.set(node, anchors.get(node.source));
      continue;
    }
    if (!isMap(node) && !isSeq(node) && !isScalar(node)) continue;
    if (node.anchor) anchors.set(node.anchor, node);
    if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
  }
  return table;
}
