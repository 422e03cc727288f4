/**
 * Text for a terminal: ANSI colours when wanted, and text from manifests made harmless. A name or
 * value may carry escape sequences (YAML's "\e"), carriage returns or bidi overrides that would
 * retitle the terminal, clear it or hide findings in a CI log; they are printed as escapes instead.
 */

export type Style = 'error' | 'warning' | 'information' | 'hint' | 'dim' | 'bold' | 'good' | 'bad';

const CODES: Record<Style, readonly [number, number]> = {
  error: [31, 39],
  warning: [33, 39],
  information: [36, 39],
  hint: [90, 39],
  dim: [2, 22],
  bold: [1, 22],
  good: [32, 39],
  bad: [31, 39],
};

export type Paint = (style: Style, text: string) => string;

export function painter(color: boolean): Paint {
  return (style, text) => (color ? `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : text);
}

/** `--color` / `--no-color` when given, else colour on a terminal unless NO_COLOR is set. */
export function wantsColor(flag: boolean | undefined): boolean {
  return flag ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
}

// C0 controls but tab, DEL, C1 controls, and the bidi embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** One line of text with every control character shown as `\xNN` / `\uNNNN`. */
export function visible(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
