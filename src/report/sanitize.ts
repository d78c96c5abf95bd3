/**
 * Text a server sent is untrusted. Before it reaches a terminal (or a CI page, a monitoring
 * console), terminal escape sequences (CSI, OSC, DCS/PM/APC, other ESC sequences), the other
 * C0/C1 controls, DEL and the bidirectional overrides that reorder what a reader sees are
 * removed, and lone surrogates (invalid bytes) become U+FFFD. Newlines and tabs survive only
 * when asked for; U+2028/U+2029 count as line breaks. The JSON result keeps the raw text.
 *
 * An error message quotes what a file held so the user can find it: there (`escape`), each
 * such character is shown as a visible escape (`\u009b`) instead, and nothing after it is lost.
 */
const CSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]/g;
const STRING_SEQUENCE = /(?:\u001b[\]P^_X]|[\u009d\u0090\u009e\u009f\u0098])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;
const OTHER_ESC = /\u001b[ -/]*[0-~]?/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_SEPARATORS = /[\u2028\u2029]/g;
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface SanitizeOptions {
  /** Keep newlines and tabs (multi-line dialogue); otherwise they become spaces. */
  readonly newlines?: boolean;
  /** Show each unsafe character as a `\uXXXX` escape rather than removing it (error messages). */
  readonly escape?: boolean;
}

function escaped(text: string, newlines: boolean): string {
  const out = newlines ? text.replace(/\r\n?/g, '\n') : text.replace(/[\r\n\t]/g, ' ');
  return out.replace(UNSAFE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(LONE_SURROGATE, '\ufffd');
}

export function sanitize(text: string, options: SanitizeOptions = {}): string {
  if (options.escape) return escaped(text, options.newlines ?? false);
  let out = text.replace(CSI, '').replace(STRING_SEQUENCE, '').replace(OTHER_ESC, '');
  out = out.replace(/\r\n?/g, '\n').replace(LINE_SEPARATORS, '\n');
  if (!options.newlines) out = out.replace(/[\n\t]/g, ' ');
  return out.replace(CONTROLS, '').replace(BIDI, '').replace(LONE_SURROGATE, '\ufffd');
}

/** One line of at most `max` characters, cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const line = sanitize(text).trim();
  const chars = [...line];
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join('')}…`;
}
