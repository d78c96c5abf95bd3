import { isIP } from 'node:net';
import { addressBits, bitsAddress, familyBits, parseNetwork } from '../topology/networks.js';

/** An address or a network as a range of numbers of one family. */
interface Span {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

export function familyOf(entry: string): 4 | 6 {
  return (entry.includes('/') ? isIP(entry.split('/')[0] as string) : isIP(entry)) === 6 ? 6 : 4;
}

function spanOf(entry: string): Span {
  if (!entry.includes('/')) {
    const family = familyOf(entry);
    const bits = addressBits(entry);
    return { family, first: bits, last: bits };
  }
  const network = parseNetwork(entry);
  if (typeof network === 'string') throw new Error(`rules: not a network: ${entry}`);
  const size = 1n << BigInt(familyBits(network.family) - network.prefix);
  const first = addressBits(network.address);
  return { family: network.family, first, last: first + size - 1n };
}

const ordered = (entries: readonly string[]) =>
  entries.map((entry) => ({ entry, span: spanOf(entry) })).sort((a, b) => a.span.family - b.span.family || (a.span.first < b.span.first ? -1 : a.span.first > b.span.first ? 1 : b.span.last > a.span.last ? 1 : -1));

/**
 * Addresses and networks with duplicates and entries inside another entry left out, sorted:
 * nftables refuses overlapping elements in an interval set.
 */
export function minimal(entries: readonly string[]): string[] {
  const out: string[] = [];
  let cover: Span | undefined;
  for (const { entry, span } of ordered([...new Set(entries)])) {
    if (cover && cover.family === span.family && span.last <= cover.last) continue;
    out.push(entry);
    cover = span;
  }
  return out;
}

/** A range as Windows Firewall writes it: one address, or `first-last`. */
function rangeText(family: 4 | 6, first: bigint, last: bigint): string {
  return first === last ? bitsAddress(first, family) : `${bitsAddress(first, family)}-${bitsAddress(last, family)}`;
}

/**
 * Every address of both families outside `own`, as ranges: the Internet, for a firewall that
 * has no negated match (Windows Firewall's -RemoteAddress).
 */
export function complementRanges(own: readonly string[]): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const top = (1n << BigInt(familyBits(family))) - 1n;
    let next = 0n;
    for (const { span } of ordered(minimal(own)).filter((e) => e.span.family === family)) {
      if (span.first > next) out.push(rangeText(family, next, span.first - 1n));
      if (span.last + 1n > next) next = span.last + 1n;
    }
    if (next <= top) out.push(rangeText(family, next, top));
  }
  return out;
}

/** Whether an address is one of `entries` or inside one of their networks. */
export function covers(entries: readonly string[], address: string): boolean {
  const at = spanOf(address);
  return entries.some((entry) => {
    const span = spanOf(entry);
    return span.family === at.family && span.first <= at.first && at.last <= span.last;
  });
}
