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

/**
 * What a terminal obeys or a bidi-aware viewer reorders, besides C0 controls: DEL, the C1 controls
 * (U+009B is a one-byte CSI, U+0085 a next line), the Arabic letter mark, the left-to-right and
 * right-to-left marks, the line and paragraph separators, and the bidi embeddings, overrides and
 * isolates. One list for every output: text (`visible`) and JSON (`safeJsonStringify`).
 */
const UNSAFE_BEYOND_C0 = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';

// Text: C0 controls but tab, and the rest of the list.
const UNSAFE = new RegExp(`[\\u0000-\\u0008\\u000a-\\u001f${UNSAFE_BEYOND_C0}]`, 'g');

// JSON.stringify already writes every C0 control in a string as an escape, and writes none raw
// elsewhere (its layout is spaces and newlines); what it leaves raw is the rest of the list.
const UNSAFE_IN_JSON = new RegExp(`[${UNSAFE_BEYOND_C0}]`, 'g');

/** One line of text with every control character shown as `\xNN` / `\uNNNN`. */
export function visible(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * `JSON.stringify(value, null, 2)` for output a terminal may show (`--format json`, SARIF): the
 * same JSON, with the characters above written as `\uXXXX` escapes. They can only occur inside
 * strings, where the escape means the same character, so the text parses back to the same value.
 */
export function safeJsonStringify(value: object): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
