import type { LineCounter } from 'yaml';
import { TopologyError } from './errors.js';

/**
 * Problems printed from one file; the rest are counted. Fifty fit on a screen and are plenty
 * to see what kind of mistake was made; 100,000 lines would bury it (and a CI log).
 */
export const MOST_PRINTED = 50;

/** The longest problem line kept (a parser's message may quote the file). */
const LONGEST_MESSAGE = 400;

interface Problem {
  readonly offset: number;
  readonly text: string;
}

/** Collects every mistake in a file, then reports them together, in file order. */
export class Problems {
  private readonly found: Problem[] = [];

  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  /** `path` names the field (`hosts.edge[0].address`); empty for the file as a whole. */
  add(offset: number, path: string, message: string): void {
    const text = path ? `${path}: ${message}` : message;
    this.found.push({ offset, text: text.length > LONGEST_MESSAGE ? `${text.slice(0, LONGEST_MESSAGE)}...` : text });
  }

  line(offset: number): number {
    return this.lines.linePos(offset).line;
  }

  get count(): number {
    return this.found.length;
  }

  throwIfAny(): void {
    if (this.found.length === 0) return;
    const sorted = [...this.found].sort((a, b) => a.offset - b.offset);
    const lines = sorted.slice(0, MOST_PRINTED).map((p) => `${this.file}:${this.line(p.offset)}: ${p.text}`);
    const more = sorted.length - MOST_PRINTED;
    // Said where the first unprinted problem is, so the line keeps the `file:line: ` form.
    const next = sorted[MOST_PRINTED];
    if (next) lines.push(`${this.file}:${this.line(next.offset)}: ... and ${more.toLocaleString('en-US')} more ${more === 1 ? 'problem' : 'problems'} from this line on`);
    throw new TopologyError(lines);
  }
}
