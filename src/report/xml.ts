import { sanitize } from './sanitize.js';

/** Characters XML 1.0 cannot carry at all, not even as references. */
const NOT_XML = /[\ufffe\uffff]/g;

/**
 * Text for an XML attribute or element: sanitized (no controls, no escapes, no lone surrogates),
 * then the five markup characters escaped, so `]]>`, `&` and `<` from a server stay text.
 */
export function xml(text: string, options: { newlines?: boolean } = {}): string {
  return sanitize(text, options)
    .replace(NOT_XML, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function attributes(attrs: Readonly<Record<string, string | number>>): string {
  return Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xml(String(v))}"`)
    .join('');
}
