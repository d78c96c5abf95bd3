import type { Features, PortName } from '../model/types.js';

/** The roles a lab host can play. */
export type LabRole = 'mailbox' | 'edge' | 'dns' | 'domain-controller' | 'internet';

/** Services a lab host can run, named like the topology's movable ports. */
export type LabService = Extract<
  PortName,
  'smtp' | 'submission' | 'https' | 'http' | 'imap' | 'imaps' | 'pop3' | 'pop3s' | 'edgesync' | 'dns'
>;

export const STANDARD_PORTS: Readonly<Record<LabService, number>> = {
  smtp: 25,
  submission: 587,
  https: 443,
  http: 80,
  imap: 143,
  imaps: 993,
  pop3: 110,
  pop3s: 995,
  edgesync: 50636,
  dns: 53,
};

export interface LabHost {
  readonly role: LabRole;
  readonly name: string;
  readonly address: string;
  readonly external?: string;
  /** What listens on this host. */
  readonly services: readonly LabService[];
  /** Days until this host's web certificate expires (365: the host's one certificate serves). */
  readonly webCertificateDays: number;
  /** Fault: the client connector offers AUTH LOGIN before STARTTLS. */
  readonly authBeforeTls: boolean;
  /** Fault: an SMTP-inspecting firewall (banner masked, keywords X'd, STARTTLS refused) in front of its port 25. */
  readonly inspectedSmtp: boolean;
  /** Fault: a TLS-intercepting proxy, with a certificate of its own, in front of its HTTPS. */
  readonly interceptedHttps: boolean;
  /** Ports where a Windows server accepts plain TCP (RDP 3389, SMB 445): only the path matters. */
  readonly windowsPorts: readonly number[];
}

/** The first label of a host name: mbx01 for mbx01.contoso.lab. */
export function shortName(host: Pick<LabHost, 'name'>): string {
  return host.name.split('.')[0] ?? host.name;
}

export interface LabOrganization {
  readonly organization: string;
  readonly site: string;
  readonly domain: string;
  /** Outbound SMTP is checked against this domain's MX hosts (needs the real port 25 there). */
  readonly mxDomain?: string;
  readonly edge: boolean;
  readonly features: Omit<Features, 'edge'>;
  readonly hosts: readonly LabHost[];
  /** The faults built into it, as a report will show them: said in its topology file and when it starts. */
  readonly faults: readonly string[];
}

/** Where each lab host lives: loopback addresses without root, namespace addresses with. */
export type LabAddresses = Readonly<Record<'mbx01' | 'mbx02' | 'edge01' | 'dns01' | 'dc01' | 'mx', string>>;

export function loopbackAddresses(): LabAddresses {
  return { mbx01: '127.0.0.2', mbx02: '127.0.0.3', edge01: '127.0.0.4', dns01: '127.0.0.5', dc01: '127.0.0.6', mx: '127.0.0.7' };
}

const MAILBOX_SERVICES: readonly LabService[] = ['smtp', 'submission', 'https', 'http', 'imap', 'imaps'];

/** A lab host without faults: what it runs, and nothing else, is given. */
export function labHost(fields: Partial<LabHost> & Pick<LabHost, 'role' | 'name' | 'address'>): LabHost {
  return { services: [], webCertificateDays: 365, authBeforeTls: false, inspectedSmtp: false, interceptedHttps: false, windowsPorts: [], ...fields };
}

/**
 * Contoso: two Mailbox servers behind a subscribed Edge server, with the built-in faults that
 * make a first report worth reading. No MX domain: on high ports, an MX host's port 25 is not
 * where the lab's Internet MTA listens, so outbound mail is checked against mx.example.org. POP3 is enabled in the topology but no host listens on it;
 * mbx02's web certificate expires in 10 days; mbx01's client connector offers LOGIN before TLS;
 * an inspecting firewall rewrites mbx01's SMTP and a TLS-intercepting proxy answers for its HTTPS.
 */
export function contoso(addresses: LabAddresses): LabOrganization {
  const host = labHost;
  return {
    organization: 'contoso',
    site: 'Default-First-Site-Name',
    domain: 'contoso.lab',
    edge: true,
    features: {
      imap4: true,
      pop3: true,
      smtpSubmission: true,
      outboundProxy: false,
      openProxyDetection: true,
      hybrid: false,
      unifiedMessaging: false,
    },
    hosts: [
      host({ role: 'mailbox', name: 'mbx01.contoso.lab', address: addresses.mbx01, services: MAILBOX_SERVICES, authBeforeTls: true, inspectedSmtp: true, interceptedHttps: true }),
      // Half a day over 10, so that it reads "expires in 10 days" while the lab runs.
      host({ role: 'mailbox', name: 'mbx02.contoso.lab', address: addresses.mbx02, services: MAILBOX_SERVICES, webCertificateDays: 10.5 }),
      host({ role: 'edge', name: 'edge01.contoso.lab', address: addresses.edge01, services: ['smtp', 'edgesync'] }),
      host({ role: 'dns', name: 'dns01.contoso.lab', address: addresses.dns01, services: ['dns'] }),
      host({ role: 'domain-controller', name: 'dc01.contoso.lab', address: addresses.dc01 }),
      host({ role: 'internet', name: 'mx.example.org', address: addresses.mx, services: ['smtp'] }),
    ],
    faults: [
      'POP3 is enabled but nothing listens on it',
      'the web certificate of mbx02 expires in 10 days',
      'the client connector (587) of mbx01 offers LOGIN before TLS',
      'an SMTP-inspecting firewall masks the banner and EHLO keywords of mbx01:25 and refuses STARTTLS',
      'a TLS-intercepting proxy answers on mbx01:443 with its own certificate',
    ],
  };
}

const WINDOWS_PORTS: readonly number[] = [445, 3389];

/**
 * Contoso without the built-in faults, as the namespace organization runs it: every enabled
 * service listens (POP3 included), Windows hosts answer on RDP and SMB, and with `edge: false`
 * there is no Edge server at all. Only the firewall decides what a scan sees.
 */
export function healthyContoso(addresses: LabAddresses, options: { edge: boolean }): LabOrganization {
  const demo = contoso(addresses);
  const windows = new Set<LabRole>(['mailbox', 'edge', 'domain-controller']);
  return {
    ...demo,
    mxDomain: 'example.org',
    edge: options.edge,
    faults: [],
    hosts: demo.hosts
      .filter((host) => options.edge || host.role !== 'edge')
      .map((host) => ({
        ...host,
        services: host.role === 'mailbox' ? [...host.services, 'pop3', 'pop3s'] : host.role === 'internet' ? [...host.services, 'dns'] : host.services,
        webCertificateDays: 365,
        authBeforeTls: false,
        inspectedSmtp: false,
        interceptedHttps: false,
        windowsPorts: windows.has(host.role) ? WINDOWS_PORTS : [],
      })),
  };
}
