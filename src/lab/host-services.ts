import { makeCertificate, type LabCertificate } from './certificate.js';
import { startDnsService } from './dns-service.js';
import { startLineService } from './line-service.js';
import type { Listener } from './listener.js';
import { startInspectingProxy, startTlsInterceptor } from './middleboxes.js';
import { imapService } from './imap-service.js';
import { shortName, STANDARD_PORTS, type LabHost, type LabOrganization, type LabService } from './organization.js';
import { pop3Service } from './pop3-service.js';
import { smtpService } from './smtp-service.js';
import { startPlainTcp, startTlsService } from './tls-service.js';
import { startHttpRedirect, startHttpsService } from './web-service.js';
import { labZone } from './zone.js';

export interface RunningHost {
  readonly host: LabHost;
  /** Where each service listens (differs from STANDARD_PORTS when started on port 0). */
  readonly ports: Readonly<Partial<Record<LabService, number>>>;
  stop(): Promise<void>;
}

/** The inspection CA the lab's TLS-intercepting proxy signs with: its name names a product, as real ones do. */
export const INTERCEPTOR_CA = 'Lab FortiGate SSL inspection CA';

/** The real service on a free port of the same address, and a middlebox where it should listen. */
async function behind(start: (port: number) => Promise<Listener>, middlebox: (port: number, upstream: Listener) => Promise<Listener>, port: number): Promise<Listener> {
  const real = await start(0);
  try {
    const front = await middlebox(port, real);
    return { address: front.address, port: front.port, close: async () => void (await Promise.all([front.close(), real.close()])) };
  } catch (error) {
    await real.close();
    throw error;
  }
}

function serviceStarter(lab: LabOrganization, host: LabHost, issuer?: LabCertificate) {
  const altNames = [host.name, ...(host.external ? [host.external] : []), host.address];
  const keyPair = makeCertificate({ commonName: host.name, altNames, validDays: 365 }, issuer);
  const webKeyPair =
    host.webCertificateDays === 365 ? keyPair : makeCertificate({ commonName: host.name, altNames, validDays: host.webCertificateDays }, issuer);
  const publicName = host.external ?? host.name;
  const server = shortName(host).toUpperCase();
  const smtpFlavor = host.role === 'edge' ? 'edge' : host.role === 'internet' ? 'internet' : 'frontend';

  return (service: LabService, address: string, port: number): Promise<Listener> => {
    const line = { address, port, keyPair };
    switch (service) {
      case 'smtp': {
        const smtp = (at: number) => startLineService(smtpService({ fqdn: host.name, flavor: smtpFlavor }), { ...line, port: at });
        if (!host.inspectedSmtp) return smtp(port);
        return behind(smtp, (at, real) => startInspectingProxy(address, at, real), port);
      }
      case 'submission':
        return startLineService(smtpService({ fqdn: host.name, flavor: 'submission', authBeforeTls: host.authBeforeTls }), line);
      case 'imap':
        return startLineService(imapService(), line);
      case 'imaps':
        return startLineService(imapService(), { ...line, implicitTls: true });
      case 'pop3':
        return startLineService(pop3Service(), line);
      case 'pop3s':
        return startLineService(pop3Service(), { ...line, implicitTls: true });
      case 'https': {
        const https = (at: number) => startHttpsService({ address, port: at, server, publicName, keyPair: webKeyPair });
        if (!host.interceptedHttps) return https(port);
        const inspectionCa = makeCertificate({ commonName: INTERCEPTOR_CA, altNames: [], validDays: 365, authority: true });
        const forged = makeCertificate({ commonName: host.name, altNames, validDays: 365 }, inspectionCa);
        return behind(https, (at, real) => startTlsInterceptor(address, at, real, forged), port);
      }
      case 'http':
        return startHttpRedirect({ address, port, server, publicName });
      case 'edgesync':
        return startTlsService(line);
      case 'dns':
        return startDnsService({ address, port, zone: labZone(lab) });
    }
  };
}

/**
 * Starts every service of one host; on any failure, stops what started and rethrows. Its
 * certificates are signed by `issuer` (the lab's root), or self-signed when there is none.
 */
export async function startHost(lab: LabOrganization, host: LabHost, standardPorts: boolean, issuer?: LabCertificate): Promise<RunningHost> {
  const start = serviceStarter(lab, host, issuer);
  const listeners: Listener[] = [];
  const ports: Partial<Record<LabService, number>> = {};
  const stop = async () => {
    await Promise.all(listeners.map((listener) => listener.close()));
  };
  try {
    for (const service of host.services) {
      const listener = await start(service, host.address, standardPorts ? STANDARD_PORTS[service] : 0);
      listeners.push(listener);
      ports[service] = listener.port;
    }
    for (const port of host.windowsPorts) listeners.push(await startPlainTcp(host.address, port));
  } catch (error) {
    await stop();
    throw error;
  }
  return { host, ports, stop };
}
