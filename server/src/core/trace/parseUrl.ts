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

/** What the editor's trace box accepts: a URL with curl-style options, or a pasted curl command. */
export interface TraceInput {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly method?: string;
}

export type ParsedTraceInput = { readonly input: TraceInput; readonly error?: undefined } | { readonly input?: undefined; readonly error: string };

/**
 * Reads `http://www.test.pri:31085/abc -H 'X-Canary: always'`, or a pasted
 * `curl -sv -X POST -H "Host: www.test.pri" http://10.0.0.5:31085/abc`: the URL, `-H`/`--header`
 * `Name: value` (repeatable) and `-X`/`--request` METHOD. Other curl flags without a value
 * (`-s`, `-v`, `-k`, `-i`, `-L`) are ignored; a flag this reader does not know is an error
 * rather than silently taken for the URL.
 */
export function parseTraceInput(text: string): ParsedTraceInput {
  const tokens = shellWords(text);
  if (typeof tokens === 'string') return { error: tokens };
  if (tokens[0] === 'curl') tokens.shift();
  const headers: Record<string, string> = {};
  let method: string | undefined;
  let url: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const value = (): string | undefined => tokens[++i];
    if (token === '-H' || token === '--header') {
      const header = value();
      const colon = header?.indexOf(':') ?? -1;
      if (header === undefined || colon <= 0) return { error: `${token} needs 'Name: value'` };
      headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
    } else if (token === '-X' || token === '--request') {
      const m = value();
      if (!m || !/^[A-Za-z]+$/.test(m)) return { error: `${token} needs a method such as GET or POST` };
      method = m.toUpperCase();
    } else if (/^-[svkiL]+$/.test(token) || ['--silent', '--verbose', '--insecure', '--include', '--location'].includes(token)) {
      continue;
    } else if (token.startsWith('-')) {
      return { error: `'${token}' is not understood here (only -H 'Name: value' and -X METHOD are)` };
    } else if (url === undefined) {
      url = token;
    } else {
      return { error: `only one URL can be traced at a time ('${url}', then '${token}')` };
    }
  }
  if (url === undefined) return { error: 'the URL is empty' };
  const parsed = parseTraceUrl(url);
  if (parsed.error !== undefined) return { error: parsed.error };
  return { input: { url, headers, ...(method ? { method } : {}) } };
}

/** Words as a POSIX shell splits them: single and double quotes, backslash escapes outside single quotes. */
function shellWords(text: string): string[] | string {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) word += text[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\') {
      // A line continuation (`\` + newline) joins words; otherwise the next character is literal.
      if (text[i + 1] === '\n') i++;
      else if (i + 1 < text.length) word = (word ?? '') + text[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) return `unbalanced ${quote === '"' ? 'double' : 'single'} quote`;
  if (word !== undefined) words.push(word);
  return words;
}
