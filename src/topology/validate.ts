import { isScalar } from 'yaml';
import { FEATURES, ROLES, type Feature, type Features, type Role } from '../model/types.js';
import { readCertificates } from './certificates.js';
import { describeNode } from './describe.js';
import { entryCount, HOST_ROLES, readHostList } from './hosts.js';
import { domainProblem } from './names.js';
import { readNetworks } from './networks.js';
import { offsetOf, type Field, type Fields, type Reader } from './reader.js';
import { closest } from './suggest.js';
import type { Host, Topology } from './types.js';

const INTERNET_KEYS = ['hosts', 'mxDomain', 'responders'] as const;
const TOP_KEYS = ['organization', 'site', 'edge', 'features', 'hosts', 'networks', 'internet', 'certificates'] as const;
const EDGE_VALUES = ['subscribed', 'none'] as const;
type Edge = (typeof EDGE_VALUES)[number];

/** `edge` is not a feature switch in the file: it comes from the top-level `edge:`. */
const FEATURE_KEYS = FEATURES.filter((f) => f !== 'edge');
/** Exchange 2016 as installed: IMAP4 and POP3 off, submission on 587, open proxy detection on. */
export const FEATURE_DEFAULTS: Features = {
  edge: false,
  imap4: false,
  pop3: false,
  smtpSubmission: true,
  outboundProxy: false,
  openProxyDetection: true,
  hybrid: false,
  unifiedMessaging: false,
};

/** A top-level key that must be there; a misspelling of it was reported as an unknown key already. */
function required(reader: Reader, top: Fields, key: string, message: string): Field | undefined {
  const field = top.get(key);
  if (!field && !top.misspelled(key)) reader.problems.add(top.at, key, message);
  return field;
}

function nonEmpty(reader: Reader, field: Field | undefined): string | undefined {
  const text = field && reader.string(field);
  if (field && text !== undefined && text.trim() === '') reader.report(field, 'must not be empty');
  return text;
}

function readEdge(reader: Reader, field: Field | undefined): Edge | undefined {
  if (!field) return 'none';
  const value: unknown = isScalar(field.value) ? field.value.value : undefined;
  if (typeof value === 'string' && (EDGE_VALUES as readonly string[]).includes(value)) return value as Edge;
  const near = typeof value === 'string' ? closest(value, EDGE_VALUES) : undefined;
  const hint = near === undefined ? '' : ` (did you mean "${near}"?)`;
  reader.report(field, `expected "subscribed" or "none", got ${describeNode(field.value)}${hint}`);
  return undefined;
}

function readFeatures(reader: Reader, field: Field | undefined, edge: Edge | undefined): Features {
  const features: Record<Feature, boolean> = { ...FEATURE_DEFAULTS, edge: edge === 'subscribed' };
  const hints = { edge: 'not a feature: Edge is set at the top level (edge: subscribed or edge: none)' };
  const fields = field && reader.mapping(field, FEATURE_KEYS, hints);
  for (const name of FEATURE_KEYS) {
    const value = fields?.get(name);
    const on = value && reader.boolean(value);
    if (on !== undefined) features[name] = on;
  }
  return features;
}

function emptyHosts(): Record<Role, Host[]> {
  return Object.fromEntries(ROLES.map((role) => [role, []])) as unknown as Record<Role, Host[]>;
}

/** The Edge subscription and the Edge hosts must agree; a mistyped `edge:` was reported already. */
function checkEdge(reader: Reader, edge: Edge | undefined, edgeField: Field | undefined, hostFields: Fields | undefined): void {
  const listed = hostFields?.get('edge');
  if (edge === 'subscribed' && entryCount(listed) === 0 && !hostFields?.misspelled('edge')) {
    const where = listed ?? (edgeField as Field);
    reader.problems.add(offsetOf(where), 'hosts.edge', 'edge is "subscribed" but no edge host is listed');
  }
  if (edge === 'none' && listed && entryCount(listed) > 0) {
    const said = edgeField ? 'edge is "none"' : 'edge is not set';
    reader.problems.add(listed.at, 'hosts.edge', `edge hosts are listed but ${said} (set edge: subscribed)`);
  }
}

function readHosts(reader: Reader, top: Fields, hosts: Record<Role, Host[]>): Fields | undefined {
  const field = required(reader, top, 'hosts', 'required key missing (at least one mailbox host)');
  const hints = { internet: 'Internet targets go under internet.hosts, not hosts' };
  const fields = field && reader.mapping(field, HOST_ROLES, hints);
  if (!fields) return undefined;
  for (const role of HOST_ROLES) {
    const list = fields.get(role);
    if (list) hosts[role] = readHostList(reader, list, role);
  }
  const mailbox = fields.get('mailbox');
  if (entryCount(mailbox) === 0 && !fields.misspelled('mailbox')) {
    reader.problems.add(mailbox ? offsetOf(mailbox) : fields.at, 'hosts.mailbox', 'at least one mailbox host is required');
  }
  return fields;
}

interface Internet {
  readonly mxDomain?: string;
  readonly responders: Host[];
}

function readInternet(reader: Reader, field: Field | undefined, hosts: Record<Role, Host[]>): Internet {
  const fields = field && reader.mapping(field, INTERNET_KEYS);
  const list = fields?.get('hosts');
  if (list) hosts.internet = readHostList(reader, list, 'internet');
  const responderList = fields?.get('responders');
  const responders = responderList ? readHostList(reader, responderList, 'internet') : [];
  const domain = fields?.get('mxDomain');
  const text = domain && reader.string(domain);
  const why = text === undefined ? undefined : domainProblem(text);
  if (domain && why !== undefined) reader.report(domain, why);
  return { ...(text === undefined ? {} : { mxDomain: text }), responders };
}

/** Reads the top-level mapping into a Topology; every mistake goes to the reader's problems. */
export function readTopology(reader: Reader, root: Field, file: string, sha256: string): Topology | undefined {
  const top = reader.mapping(root, TOP_KEYS);
  if (!top) return undefined;
  const organization = nonEmpty(reader, required(reader, top, 'organization', 'required key missing'));
  const site = nonEmpty(reader, top.get('site'));
  const edgeField = top.get('edge');
  const edge = readEdge(reader, edgeField);
  const features = readFeatures(reader, top.get('features'), edge);
  const hosts = emptyHosts();
  const hostFields = readHosts(reader, top, hosts);
  checkEdge(reader, edge, edgeField, hostFields);
  const networks = readNetworks(reader, top.get('networks'));
  const { mxDomain, responders } = readInternet(reader, top.get('internet'), hosts);
  const certificates = readCertificates(reader, top.get('certificates'));
  if (organization === undefined) return undefined;
  return {
    file,
    sha256,
    organization,
    ...(site === undefined ? {} : { site }),
    features,
    hosts,
    ...(networks.length === 0 ? {} : { networks }),
    ...(mxDomain === undefined ? {} : { mxDomain }),
    ...(responders.length === 0 ? {} : { responders }),
    ...(certificates === undefined ? {} : { certificates }),
  };
}
