/**
 * Text a server sent is untrusted. Before it reaches a terminal, terminal escape sequences
 * (CSI, OSC, other ESC sequences) and the other C0/C1 controls and DEL are removed, and lone
 * surrogates become U+FFFD. Newlines and tabs survive only when asked for.
 */
const CSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]/g;
const OSC = /(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;
const OTHER_ESC = /\u001b[@-_]?/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export interface SanitizeOptions {
  /** Keep newlines (multi-line dialogue); otherwise they become spaces. */
  readonly newlines?: boolean;
}

export function sanitize(text: string, options: SanitizeOptions = {}): string {
  let out = text.replace(CSI, '').replace(OSC, '').replace(OTHER_ESC, '');
  out = out.replace(/\r\n?/g, '\n');
  if (!options.newlines) out = out.replace(/[\n\t]/g, ' ');
  return out.replace(CONTROLS, '').replace(LONE_SURROGATE, '\ufffd');
}
