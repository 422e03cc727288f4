/** URI arithmetic on strings, so the engine needs no `path` module (it must stay free of IO imports). */

/** Resolves `relative` (a POSIX path) against the directory of the file `baseUri`. */
export function resolveRelativeUri(baseUri: string, relative: string): string {
  const schemeEnd = baseUri.indexOf('://');
  const authorityEnd = schemeEnd < 0 ? 0 : baseUri.indexOf('/', schemeEnd + 3);
  const prefix = authorityEnd < 0 ? baseUri : baseUri.slice(0, authorityEnd);
  const basePath = authorityEnd < 0 ? '' : baseUri.slice(authorityEnd);
  const joined = relative.startsWith('/') ? relative : `${basePath.slice(0, basePath.lastIndexOf('/') + 1)}${relative}`;
  return prefix + normalizePath(joined);
}

function normalizePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** Everything up to the last slash: files in the same directory share it. */
export function directoryOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/') + 1);
}
