/**
 * Mermaid's theme from VS Code's: dark or light from the body classes VS Code sets
 * (`vscode-light`, `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`), colours
 * from its CSS variables. Node colours come from the server's `classDef`s and stay the same.
 */
import type { RenderOptions } from './render';

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(body: HTMLElement): ThemeKind {
  const classes = body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-dark')) return 'dark';
  return 'light';
}

/** Options for `renderMermaid` matching the current VS Code theme. */
export function vscodeTheme(body: HTMLElement): RenderOptions {
  const kind = themeKind(body);
  const dark = kind === 'dark' || kind === 'high-contrast';
  const contrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const foreground = resolveColor(body, '--vscode-editor-foreground', dark ? '#cccccc' : '#333333');
  const background = resolveColor(body, '--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff');
  const line = contrast ? resolveColor(body, '--vscode-contrastBorder', foreground) : resolveColor(body, '--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171');
  const fontFamily = getComputedStyle(body).getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif';
  return {
    theme: 'base',
    fontFamily,
    themeVariables: {
      darkMode: dark,
      background,
      fontFamily,
      fontSize: '14px',
      primaryColor: dark ? '#2d2d30' : '#f3f3f3',
      primaryTextColor: foreground,
      primaryBorderColor: line,
      lineColor: line,
      textColor: foreground,
      edgeLabelBackground: background,
    },
  };
}

/**
 * A CSS colour value as `rgb(…)`/`rgba(…)` (what Mermaid's colour parser reads), resolved by the
 * browser through a probe element.
 */
function resolveColor(body: HTMLElement, variable: string, fallback: string): string {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  probe.style.color = fallback;
  probe.style.setProperty('color', `var(${variable}, ${fallback})`);
  body.append(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || fallback;
}
