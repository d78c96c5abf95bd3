import { readdirSync, readFileSync } from 'node:fs';

/** Descriptors kept free for the process itself (stdio, resolver, output file, timers). */
const RESERVED_DESCRIPTORS = 12;

export interface DescriptorBudget {
  /** The soft open-file limit; undefined where the platform does not say (Windows). */
  readonly softLimit?: number;
  readonly inUse?: number;
}

/** Reads the soft RLIMIT_NOFILE and the descriptors open now, from /proc on Linux. */
export function readDescriptorBudget(): DescriptorBudget {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (!match?.[1] || match[1] === 'unlimited') return {};
    return { softLimit: Number(match[1]), inUse: readdirSync('/proc/self/fd').length };
  } catch {
    return {};
  }
}

/**
 * The concurrency the engine may use: the requested one, lowered so that every probe in
 * flight (one socket each) fits under the open-file limit with room to spare. Never below 1.
 */
export function capConcurrency(requested: number, budget: DescriptorBudget = readDescriptorBudget()): number {
  const wanted = Math.max(1, Math.floor(requested));
  if (budget.softLimit === undefined) return wanted;
  const free = budget.softLimit - (budget.inUse ?? 0) - RESERVED_DESCRIPTORS;
  return Math.max(1, Math.min(wanted, free));
}
