import { CLIENT_ACCESS } from './client-access.js';
import { GROUND_RULES } from './ground-rules.js';
import { HYBRID } from './hybrid.js';
import { MAIL_FLOW_EDGE } from './mail-flow-edge.js';
import { MAIL_FLOW } from './mail-flow.js';
import { OPEN_PROXY } from './open-proxy.js';
import type { Flow, TableName } from './types.js';
import { UNIFIED_MESSAGING } from './unified-messaging.js';

export interface Model {
  readonly tables: Readonly<Record<TableName, readonly Flow[]>>;
  readonly flows: readonly Flow[];
}

const TABLE_TITLES: Readonly<Record<TableName, string>> = {
  'client-access': 'Clients and services',
  'mail-flow': 'Mail flow (no Edge Transport servers)',
  'mail-flow-edge': 'Mail flow with Edge Transport servers',
  'open-proxy': 'Open proxy detection in sender reputation',
  'ground-rules': 'Ground rules: internal unrestricted, perimeter restricted',
  hybrid: 'Hybrid deployments (extension)',
  'unified-messaging': 'Unified Messaging (extension)',
};

export function tableTitle(table: TableName): string {
  return TABLE_TITLES[table];
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function build(): Model {
  const tables: Record<TableName, readonly Flow[]> = {
    'client-access': CLIENT_ACCESS,
    'mail-flow': MAIL_FLOW,
    'mail-flow-edge': MAIL_FLOW_EDGE,
    'open-proxy': OPEN_PROXY,
    'ground-rules': GROUND_RULES,
    hybrid: HYBRID,
    'unified-messaging': UNIFIED_MESSAGING,
  };
  const flows = Object.values(tables).flat();
  const seen = new Set<string>();
  for (const flow of flows) {
    if (seen.has(flow.id)) throw new Error(`model: duplicate flow id ${flow.id}`);
    seen.add(flow.id);
  }
  return deepFreeze({ tables, flows });
}

/** The Exchange 2016 port tables as frozen data. */
export const MODEL: Model = build();
