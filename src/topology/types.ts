import type { Features, PortName, Role } from '../model/types.js';
import type { CertificateExpectations } from './certificates.js';
import type { Network } from './networks.js';

export interface Host {
  /** Host name, or the address itself when only an address was given. */
  readonly name: string;
  readonly address?: string;
  /** The name the Internet resolves for this host (mailbox: e.g. mail.contoso.com). */
  readonly external?: string;
  /** Per-host overrides of movable ports (EdgeSync, connectors, SIP). */
  readonly ports: Readonly<Partial<Record<PortName, number>>>;
  /** Mailbox servers added after the Edge subscription do not take part in EdgeSync. */
  readonly edgeSync: boolean;
}

export interface Topology {
  /** The file it was read from, as given, for messages and reports. */
  readonly file: string;
  /** sha256 of the file's bytes: results from different topologies are never merged silently. */
  readonly sha256: string;
  readonly organization: string;
  readonly site?: string;
  readonly features: Features;
  /** Hosts by role. `internet` holds `internet.hosts`; roles without hosts hold []. */
  readonly hosts: Readonly<Record<Role, readonly Host[]>>;
  /**
   * The organization's own networks (`networks:`), beside its hosts: an address in none of them
   * and of no host is the Internet, for the firewall rules.
   */
  readonly networks?: readonly Network[];
  /** Outbound SMTP is tested against this domain's MX hosts (resolved by the engine). */
  readonly mxDomain?: string;
  /**
   * Internet hosts that answer on every TCP port (a responder the user runs, or a public
   * all-ports test service): open proxy detection is tested against them, and their silence is a block.
   */
  readonly responders?: readonly Host[];
  /** Who issues the organization's certificates, per service: another issuer is TLS interception. */
  readonly certificates?: CertificateExpectations;
}
