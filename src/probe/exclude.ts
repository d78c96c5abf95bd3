import { BlockList, isIP } from 'node:net';

/** One `--exclude` entry: an address or a CIDR block, IPv4 or IPv6. */
export interface ExcludeRule {
  readonly text: string;
  readonly list: BlockList;
}

/** Parses an address or CIDR; undefined when it is neither. */
export function parseExcludeRule(text: string): ExcludeRule | undefined {
  const trimmed = text.trim();
  const [address = '', prefix, extra] = trimmed.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (prefix === undefined) {
    list.addAddress(address, type);
    return { text: trimmed, list };
  }
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return undefined;
  list.addSubnet(address, Number(prefix), type);
  return { text: trimmed, list };
}

/** The first rule that covers the address, if any. Rules that do not parse are ignored here (the CLI rejects them). */
export function createExcluder(entries: readonly string[]): (address: string) => string | undefined {
  const rules = entries.map(parseExcludeRule).filter((rule): rule is ExcludeRule => rule !== undefined);
  return (address) => {
    const family = isIP(address);
    if (!family) return undefined;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    return rules.find((rule) => rule.list.check(address, type))?.text;
  };
}
