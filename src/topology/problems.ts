import type { LineCounter } from 'yaml';
import { TopologyError } from './errors.js';

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
    this.found.push({ offset, text: path ? `${path}: ${message}` : message });
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
    throw new TopologyError(sorted.map((p) => `${this.file}:${this.line(p.offset)}: ${p.text}`));
  }
}
