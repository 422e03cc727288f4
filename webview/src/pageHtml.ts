/**
 * The rules both graph pages follow (the VS Code panel's, client/src/graphHtml.ts, and the
 * standalone one the CLI writes, server/src/cli/graphPage.ts): how text is escaped into HTML,
 * what a nonce may be, and the Content-Security-Policy. Pure, no DOM: imported by Node code.
 */

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The nonce goes into the CSP and a script attribute unescaped: base64 only. */
export function checkNonce(nonce: string): void {
  if (!/^[A-Za-z0-9+/=]+$/.test(nonce)) throw new Error('the nonce must be base64');
}

/**
 * Only the nonce'd script runs and nothing is fetched but from `source` (the webview's resource
 * origin; the standalone page has none). Styles may be inline because Mermaid writes a <style>
 * into its SVG; images and fonts may be data: URLs.
 */
export function graphPageCsp(nonce: string, source?: string): string {
  const from = source ? `${source} ` : '';
  return `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${from}'unsafe-inline'; img-src ${from}data:; font-src ${from}data:`;
}
