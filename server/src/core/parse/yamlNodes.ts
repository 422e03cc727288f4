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
