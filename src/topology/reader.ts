import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { describeNode, excerpt, quote } from './describe.js';
import type { Problems } from './problems.js';
import { closest, suggestion } from './suggest.js';

export type Value = Node | null | undefined;

/** A value with where it is: its field path and the offset to report when the value has none. */
export interface Field {
  /** undefined only for an alias that did not resolve, which is reported once, where it stands. */
  readonly value: Value;
  readonly path: string;
  readonly at: number;
}

/** The known keys of one mapping, as read; keys an unknown key was probably meant as are remembered. */
export class Fields {
  constructor(
    readonly at: number,
    private readonly known: ReadonlyMap<string, Field>,
    private readonly meant: ReadonlySet<string>,
  ) {}

  get(key: string): Field | undefined {
    return this.known.get(key);
  }

  /** True when an unknown key in this mapping looked like `key`: its absence is already reported. */
  misspelled(key: string): boolean {
    return this.meant.has(key);
  }
}

/** Keys longer than this are shown quoted and cut in a path: no message repeats a megabyte key. */
const LONGEST_PLAIN_KEY = 64;

export function childPath(path: string, key: string): string {
  if (key.length > LONGEST_PLAIN_KEY || !/^[A-Za-z0-9_-]+$/.test(key)) return `${path}[${quote(key)}]`;
  return path ? `${path}.${key}` : key;
}

export function offsetOf(field: Field): number {
  return field.value?.range?.[0] ?? field.at;
}

export function isNothing(node: Value): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** Typed reads from the YAML tree: each wrong type becomes one problem, and undefined. */
export class Reader {
  constructor(
    private readonly doc: Document,
    readonly problems: Problems,
  ) {}

  /** Reports a wrong value, unless it is an unresolved alias: that was reported already. */
  report(field: Field, message: string): void {
    if (field.value === undefined) return;
    this.problems.add(offsetOf(field), field.path, message);
  }

  private resolve(node: Value, path: string, at: number): Value {
    if (!isAlias(node)) return node;
    const target = node.resolve(this.doc);
    if (!target) this.problems.add(node.range?.[0] ?? at, path, `unknown alias *${excerpt(node.source)}`);
    return target as Value;
  }

  field(value: unknown, path: string, at: number): Field {
    return { value: this.resolve(value as Value, path, at), path, at };
  }

  /**
   * A mapping with the given keys (nothing written counts as empty). Unknown keys are reported
   * with a did-you-mean, or with `hints[key]` when a key is known to belong elsewhere.
   */
  mapping(field: Field, known: readonly string[], hints: Readonly<Record<string, string>> = {}): Fields | undefined {
    const { value } = field;
    const at = offsetOf(field);
    const found = new Map<string, Field>();
    const meant = new Set<string>();
    if (isNothing(value)) return new Fields(at, found, meant);
    if (!isMap(value)) {
      this.report(field, `expected a mapping, got ${describeNode(value)}`);
      return undefined;
    }
    const firstAt = new Map<string, number>();
    for (const pair of value.items) {
      const key = pair.key as Value;
      const keyAt = key?.range?.[0] ?? at;
      if (!isScalar(key) || typeof key.value !== 'string') {
        this.problems.add(keyAt, field.path, `a key must be a name, got ${describeNode(key)}`);
        continue;
      }
      const name = key.value;
      const path = childPath(field.path, name);
      const first = firstAt.get(name);
      if (first !== undefined) {
        this.problems.add(keyAt, path, `duplicate key (first at line ${this.problems.line(first)})`);
        continue;
      }
      firstAt.set(name, keyAt);
      if (Object.hasOwn(hints, name)) {
        this.problems.add(keyAt, path, hints[name] as string);
      } else if (!known.includes(name)) {
        this.problems.add(keyAt, path, `unknown key ${suggestion(name, known)}`);
        const near = closest(name, known);
        if (near !== undefined) meant.add(near);
      } else {
        found.set(name, this.field(pair.value, path, keyAt));
      }
    }
    return new Fields(at, found, meant);
  }

  /** A list (nothing written counts as empty), each item with its path `path[i]`. */
  list(field: Field): Field[] | undefined {
    const { value } = field;
    if (isNothing(value)) return [];
    if (!isSeq(value)) {
      this.report(field, `expected a list, got ${describeNode(value)}`);
      return undefined;
    }
    return value.items.map((item, i) => this.field(item, `${field.path}[${i}]`, offsetOf(field)));
  }

  string(field: Field): string | undefined {
    if (isScalar(field.value) && typeof field.value.value === 'string') return field.value.value;
    this.report(field, `expected a string, got ${describeNode(field.value)}`);
    return undefined;
  }

  boolean(field: Field): boolean | undefined {
    if (isScalar(field.value) && typeof field.value.value === 'boolean') return field.value.value;
    this.report(field, `expected true or false, got ${describeNode(field.value)}`);
    return undefined;
  }

  port(field: Field): number | undefined {
    const value = isScalar(field.value) ? field.value.value : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
    this.report(field, `expected a port number from 1 to 65535, got ${describeNode(field.value)}`);
    return undefined;
  }
}
