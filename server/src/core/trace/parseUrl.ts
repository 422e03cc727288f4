/**
 * The request a trace follows, read from what a user types: `http://www.test.pri:31085/abc`,
 * `www.test.pri:31085/abc/index.html` (scheme optional), `node:30000/`, or just `/abc` (no host:
 * only rules without a host can take it). Parsed by hand rather than with `URL`, which would
 * normalise the path (`/a/../b`, percent-encoding) differently from what the user asked about.
 */

export interface TraceUrl {
  readonly scheme?: string;
  /** Lower-cased, without the port; undefined for a bare path. */
  readonly host?: string;
  /** As written, or undefined. */
  readonly port?: number;
  /** The port the request goes to: as written, else 80 for http and 443 for https. */
  readonly effectivePort?: number;
  /** Always starts with `/`. */
  readonly path: string;
  /** The query string without `?`, when the URL has one. */
  readonly query?: string;
}

export type ParsedTraceUrl = { readonly url: TraceUrl; readonly error?: undefined } | { readonly url?: undefined; readonly error: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9_*]([a-z0-9_.*-]*[a-z0-9_])?)$/i;

export function parseTraceUrl(input: string): ParsedTraceUrl {
  const text = input.trim();
  if (text === '') return { error: 'the URL is empty' };
  if (/\s/.test(text)) return { error: `'${input}' is not a URL: it contains white space` };
  const scheme = SCHEME.exec(text);
  const rest = scheme ? text.slice(scheme[0].length) : text;
  const schemeName = scheme?.[1].toLowerCase();
  if (schemeName !== undefined && schemeName !== 'http' && schemeName !== 'https') return { error: `'${input}': only http and https URLs can be traced` };
  const cut = rest.search(/[/?#]/);
  const authority = cut < 0 ? rest : rest.slice(0, cut);
  const tail = cut < 0 ? '' : rest.slice(cut);
  const hashless = tail.split('#')[0];
  const q = hashless.indexOf('?');
  const rawPath = q < 0 ? hashless : hashless.slice(0, q);
  const query = q < 0 ? undefined : hashless.slice(q + 1);
  const path = rawPath === '' ? '/' : rawPath;
  if (!path.startsWith('/')) return { error: `'${input}' is not a URL: the path must start with /` };
  if (authority === '') {
    if (scheme) return { error: `'${input}' is not a URL: the host is missing` };
    return { url: { path, query } };
  }
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host = hostPort;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    const after = close < 0 ? '' : hostPort.slice(close + 1);
    if (close < 0 || (after !== '' && !after.startsWith(':'))) return { error: `'${input}' is not a URL: bad host '${hostPort}'` };
    host = hostPort.slice(0, close + 1);
    portText = after === '' ? undefined : after.slice(1);
  } else if (hostPort.includes(':')) {
    host = hostPort.slice(0, hostPort.lastIndexOf(':'));
    portText = hostPort.slice(hostPort.lastIndexOf(':') + 1);
  }
  if (!HOST.test(host)) return { error: `'${input}' is not a URL: bad host '${host}'` };
  let port: number | undefined;
  if (portText !== undefined && portText !== '') {
    if (!/^\d+$/.test(portText)) return { error: `'${input}' is not a URL: bad port '${portText}'` };
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `'${input}' is not a URL: port ${portText} is outside 1-65535` };
  }
  const effectivePort = port ?? (schemeName === 'https' ? 443 : schemeName === 'http' ? 80 : undefined);
  return { url: { scheme: schemeName, host: host.toLowerCase().replace(/\.$/, ''), port, effectivePort, path, query } };
}
