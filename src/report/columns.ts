/** Display width in characters (code points): cells are sanitized, so no escapes or controls. */
export const width = (text: string): number => {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
};

/**
 * Rows as aligned plain-text columns, two spaces apart, trailing blanks trimmed: linear in the
 * number of cells (one pass for the widths, one for the lines) and pure ASCII around the cells.
 */
export function columns(head: readonly string[], rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths = head.map((h) => width(h));
  const cellWidths = rows.map((r) => r.map(width));
  cellWidths.forEach((r) => r.forEach((w, i) => (widths[i] = Math.max(widths[i] ?? 0, w))));
  const line = (cells: readonly string[], w: readonly number[]) =>
    `${indent}${cells.map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - (w[i] ?? 0)))).join('  ')}`.trimEnd();
  return [line(head, head.map(width)), ...rows.map((r, i) => line(r, cellWidths[i] ?? []))];
}

/** Words folded into lines of at most `max` characters (a longer word is cut, never lost). */
export function wrap(text: string, max: number, indent = ''): string[] {
  const room = Math.max(8, max - width(indent));
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter((w) => w !== '')) {
    let rest = word;
    while (width(rest) > room) {
      if (line) out.push(line);
      const chars = [...rest];
      out.push(chars.slice(0, room).join(''));
      rest = chars.slice(room).join('');
      line = '';
    }
    if (!line) line = rest;
    else if (width(line) + 1 + width(rest) <= room) line += ` ${rest}`;
    else {
      out.push(line);
      line = rest;
    }
  }
  if (line) out.push(line);
  return out.map((l) => `${indent}${l}`);
}
