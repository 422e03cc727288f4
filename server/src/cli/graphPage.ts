/**
 * The self-contained page `kube-route-lens graph --format html` writes: one file, no network.
 *
 *   <h1>            the title (HTML-escaped), which the renderer shows
 *   <script type="text/plain" id="graph-source">
 *                   the Mermaid text. The content of a <script> element is raw text (the HTML
 *                   parser decodes no entities there), so `textContent` returns exactly what is
 *                   written, and HTML-escaping it would hand the renderer `--&gt;` instead of
 *                   `-->`. What keeps the element closed is that no `<` may be followed by `/` or
 *                   `!`: such a `<` is written as `#60;`, Mermaid's own entity for `<`, which a
 *                   label shows as `<`. So neither `</script` nor `<!--` can appear, whatever the
 *                   manifests contain. (`toMermaid` output never has one: `escapeLabel` already
 *                   turns every `<` of a name into `#60;`; the only `<` left are its `<br/>`
 *                   line breaks. This is the second wall.)
 *   <div id="graph"> where the renderer draws
 *   <script nonce>  webview/dist/standalone.js, inlined; `</script` and `<!--` in it are
 *                   written `\x3C/script` / `\x3C!--` (the same string inside JS strings and
 *                   regular expressions), and its `sourceMappingURL` comment is dropped so that
 *                   not even developer tools fetch anything.
 *
 * The Content-Security-Policy (shared with the VS Code panel: webview/src/pageHtml.ts) allows
 * only that one nonce'd script, inline styles and data: images and fonts; nothing is fetched.
 */
import { checkNonce, escapeHtml, graphPageCsp } from '../../../webview/src/pageHtml';

export interface GraphPageOptions {
  readonly mermaid: string;
  readonly title: string;
  /** The renderer bundle's JavaScript. */
  readonly bundle: string;
  /** Base64, fresh for every page. */
  readonly nonce: string;
}

/** The Mermaid text for the text/plain script element: `<` before `/` or `!` becomes Mermaid's `#60;` (see above). */
export function embedGraphSource(mermaid: string): string {
  return mermaid.replace(/<(?=[/!])/g, '#60;');
}

/** JavaScript safe to inline in a <script> element. */
export function inlineScript(js: string): string {
  return js.replace(/^\/\/[#@] sourceMappingURL=.*$/gm, '').replace(/<(\/script|!--)/gi, '\\x3C$1');
}

export function renderGraphPage(options: GraphPageOptions): string {
  checkNonce(options.nonce);
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${graphPageCsp(options.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kube-route-lens graph --format html">
<title>${title}</title>
<style>
  body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem; color: #1f2933; background: #fff; }
  h1 { font-size: 1.25rem; font-weight: 600; margin: 0 0 1rem; }
  #graph { overflow: auto; }
</style>
</head>
<body>
<h1>${title}</h1>
<div id="graph"></div>
<script type="text/plain" id="graph-source">${embedGraphSource(options.mermaid)}</script>
<script nonce="${options.nonce}">${inlineScript(options.bundle)}</script>
</body>
</html>
`;
}
