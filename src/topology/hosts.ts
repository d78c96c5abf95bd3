import { isIP } from 'node:net';
import { isMap, isScalar, isSeq } from 'yaml';
import { PORT_NAMES, ROLES, type PortName, type Role } from '../model/types.js';
import { describeNode, quote } from './describe.js';
import { addressProblem, hostProblem } from './names.js';
import { isNothing, offsetOf, type Field, type Reader } from './reader.js';
import type { Host } from './types.js';

const HOST_KEYS = ['name', 'address', 'external', 'ports', 'edgeSync'] as const;
const NOT_MAILBOX = { edgeSync: 'only mailbox hosts take part in EdgeSync' };

/** Roles listed under `hosts:`; Internet targets live under `internet.hosts`. */
export const HOST_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'internet');

/** A host as read, with the field that named it (for duplicate reports). */
interface Named {
  readonly host: Host;
  readonly by: Field;
}

function checkedText(reader: Reader, field: Field | undefined, problem: (value: string) => string | undefined): string | undefined {
  if (!field) return undefined;
  const text = reader.string(field);
  if (text === undefined) return undefined;
  const why = problem(text);
  if (why !== undefined) reader.report(field, why);
  return text;
}

function ports(reader: Reader, field: Field | undefined): Partial<Record<PortName, number>> {
  const out: Partial<Record<PortName, number>> = {};
  const fields = field && reader.mapping(field, PORT_NAMES);
  if (!fields) return out;
  for (const name of PORT_NAMES) {
    const port = fields.get(name);
    const number = port && reader.port(port);
    if (number !== undefined) out[name] = number;
  }
  return out;
}

interface HostFields {
  readonly address?: string | undefined;
  readonly external?: string | undefined;
  readonly ports?: Partial<Record<PortName, number>>;
  readonly edgeSync?: boolean | undefined;
}

/** A name that is an IP literal also gives the address, so `[198.18.3.53]` needs nothing more. */
function host(role: Role, name: string, fields: HostFields = {}): Host {
  const address = fields.address ?? (isIP(name) !== 0 ? name : undefined);
  return {
    name,
    ...(address === undefined ? {} : { address }),
    ...(fields.external === undefined ? {} : { external: fields.external }),
    ports: fields.ports ?? {},
    edgeSync: fields.edgeSync ?? role === 'mailbox',
  };
}

function readHost(reader: Reader, field: Field, role: Role): Named | undefined {
  const { value } = field;
  if (isScalar(value) && typeof value.value === 'string') {
    const name = checkedText(reader, field, hostProblem) as string;
    return { host: host(role, name), by: field };
  }
  if (!isMap(value)) {
    reader.report(field, `expected a host name, an IP address or a mapping with name and/or address, got ${describeNode(value)}`);
    return undefined;
  }
  const fields = reader.mapping(field, HOST_KEYS, role === 'mailbox' ? {} : NOT_MAILBOX);
  if (!fields) return undefined;
  const name = checkedText(reader, fields.get('name'), hostProblem);
  const address = checkedText(reader, fields.get('address'), addressProblem);
  const external = checkedText(reader, fields.get('external'), hostProblem);
  const edgeSyncField = fields.get('edgeSync');
  const edgeSync = edgeSyncField && reader.boolean(edgeSyncField);
  const portMap = ports(reader, fields.get('ports'));
  if (!fields.get('name') && !fields.get('address')) {
    if (!fields.misspelled('name') && !fields.misspelled('address')) reader.report(field, 'needs a name or an address');
    return undefined;
  }
  const primary = name ?? address;
  if (primary === undefined) return undefined;
  const by = (fields.get('name') ?? fields.get('address')) as Field;
  return { host: host(role, primary, { address, external, ports: portMap, edgeSync }), by };
}

/** Each role's hosts, read from a list; the same name twice in one role is a mistake. */
export function readHostList(reader: Reader, field: Field, role: Role): Host[] {
  const items = reader.list(field) ?? [];
  const seen = new Map<string, Field>();
  const hosts: Host[] = [];
  for (const item of items) {
    const named = readHost(reader, item, role);
    if (!named) continue;
    const key = named.host.name.toLowerCase().replace(/\.$/, '');
    const first = seen.get(key);
    if (first) {
      const line = reader.problems.line(offsetOf(first));
      reader.report(named.by, `duplicate host ${quote(named.host.name)} (also ${first.path}, line ${line})`);
    } else seen.set(key, named.by);
    hosts.push(named.host);
  }
  return hosts;
}

/** How many hosts a field lists, valid or not: a mistyped host still counts as listed. */
export function entryCount(field: Field | undefined): number {
  if (!field) return 0;
  if (field.value === undefined) return 1;
  if (isNothing(field.value)) return 0;
  return isSeq(field.value) ? field.value.items.length : 1;
}
