import { isMap, isScalar, isSeq, type Node } from 'yaml';

const LONGEST = 80;

/** Text the file held, shown unquoted (a tag, an alias): cut when long. */
export function excerpt(text: string): string {
  return text.length > LONGEST ? `${text.slice(0, LONGEST)}...` : text;
}

/** A value as it stands in a message: JSON-quoted (so no control character reaches a terminal), cut when long. */
export function quote(value: string): string {
  return JSON.stringify(excerpt(value));
}

/** What the user wrote, in words: `a list`, `a string ("yes")`, `a number (42)`, `nothing`. */
export function describeNode(node: Node | null | undefined): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (!isScalar(node) || node.value === null || node.value === undefined) return 'nothing';
  const value: unknown = node.value;
  if (typeof value === 'string') return `a string (${quote(value)})`;
  if (typeof value === 'number' || typeof value === 'bigint') return `a number (${String(value)})`;
  if (typeof value === 'boolean') return String(value);
  return `a ${node.tag === undefined ? typeof value : excerpt(node.tag)} value`;
}
