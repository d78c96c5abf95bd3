import { hostname, networkInterfaces } from 'node:os';
import type { LocalIdentity } from '../plan/vantage.js';

/** This machine's addresses and names, for `--from auto`. */
export function localIdentity(): LocalIdentity {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address] : []));
  const name = hostname();
  return { addresses, hostnames: name ? [name] : [] };
}
