import type { ObservedState } from '../model/types.js';

const ALL: Readonly<Record<ObservedState, true>> = { open: true, closed: true, filtered: true, 'open|filtered': true, unresolved: true, error: true };

/** Every observed state, in nmap's order (the record above makes the compiler check it is complete). */
export const OBSERVED_STATES = Object.keys(ALL) as ObservedState[];
