/** The words of the design, as types. Every layer speaks these. */

export const ROLES = [
  'internet',
  'client',
  'mailbox',
  'edge',
  'dns',
  'domain-controller',
  'office365',
  'voip-gateway',
] as const;
export type Role = (typeof ROLES)[number];

/**
 * Roles outside the organization: they reach it by the names the Internet resolves (a host's
 * `external` name) and resolve names as the Internet does, not through the organization's DNS.
 */
export const OUTSIDE_ROLES: ReadonlySet<Role> = new Set<Role>(['internet', 'client', 'office365']);

export type Transport = 'tcp' | 'udp';

export const EXPECTATIONS = ['required', 'optional', 'forbidden', 'unrestricted'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export const PROBE_KINDS = ['tcp', 'udp', 'dns', 'smtp', 'tls', 'http', 'imap', 'pop3', 'ldaps'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

/** The seed's tables, the ground rules, and the extension tables. */
export const TABLES = [
  'client-access',
  'mail-flow',
  'mail-flow-edge',
  'open-proxy',
  'ground-rules',
  'hybrid',
  'unified-messaging',
] as const;
export type TableName = (typeof TABLES)[number];

/** Topology switches a flow can depend on. `edge` is true when an Edge server is subscribed. */
export const FEATURES = [
  'edge',
  'imap4',
  'pop3',
  'smtpSubmission',
  'outboundProxy',
  'openProxyDetection',
  'hybrid',
  'unifiedMessaging',
] as const;
export type Feature = (typeof FEATURES)[number];
export type Features = Readonly<Record<Feature, boolean>>;

/** Every named feature must have the given value; an empty condition always holds. */
export type Condition = Readonly<Partial<Record<Feature, boolean>>>;

/**
 * Ports an administrator can move (EdgeSync before subscribing, connectors, SIP): a host's
 * `ports` map in the topology overrides the model's number for these names.
 */
export const PORT_NAMES = [
  'smtp',
  'submission',
  'https',
  'http',
  'imap',
  'imaps',
  'pop3',
  'pop3s',
  'edgesync',
  'sip',
  'sips',
  'dns',
] as const;
export type PortName = (typeof PORT_NAMES)[number];

export interface FlowPort {
  readonly port: number;
  readonly transport: Transport;
  readonly probe: ProbeKind;
  /** Set when the topology may move this port (per-host `ports` override). */
  readonly name?: PortName;
  /** The service speaks TLS from the first byte (443, 993, 995, 50636), not after STARTTLS. */
  readonly implicitTls?: boolean;
  /** Set when this port is a deterministic sample of a range (dynamic RPC, RTP). */
  readonly range?: { readonly from: number; readonly to: number };
}

export interface Flow {
  /** Stable id, e.g. `edge.edgesync`. Reports, baselines and users refer to it. */
  readonly id: string;
  readonly purpose: string;
  readonly table: TableName;
  readonly source: Role;
  readonly destination: Role;
  readonly ports: readonly FlowPort[];
  readonly expectation: Expectation;
  readonly when: Condition;
  /** The Exchange component (connector, service) behind the flow. */
  readonly component: string;
  /**
   * False when nothing is expected to listen at the destination and only the path matters
   * (open proxy detection, sampled ground-rule ports): a refused connection then proves the path.
   */
  readonly needsListener: boolean;
  /**
   * Only sources that took part in the Edge subscription use this flow (EdgeSync): a Mailbox
   * server added later (`edgeSync: false` in the topology) does not.
   */
  readonly subscribedSourcesOnly?: boolean;
  /** Where the fact comes from (seed table or Exchange documentation). */
  readonly reference: string;
}

export type ObservedState = 'open' | 'closed' | 'filtered' | 'open|filtered' | 'unresolved' | 'error';

export const VERDICTS = ['pass', 'fail', 'exposed', 'down', 'warn', 'inconclusive', 'skipped'] as const;
export type Verdict = (typeof VERDICTS)[number];
