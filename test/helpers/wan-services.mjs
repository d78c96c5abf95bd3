// Exchange-like services for the WAN lab, inside a namespace, from the built lab (dist/lab):
// SMTP with STARTTLS, HTTPS with the Exchange virtual directories, a TLS listener for EdgeSync.
// argv[2]: JSON [[service, address, port, host name]...] with service smtp-edge, smtp-frontend,
// https or tls. Certificates are self-signed per host. Prints `ready`.
import { makeCertificate } from '../../dist/lab/certificate.js';
import { startLineService } from '../../dist/lab/line-service.js';
import { smtpService } from '../../dist/lab/smtp-service.js';
import { startTlsService } from '../../dist/lab/tls-service.js';
import { startHttpsService } from '../../dist/lab/web-service.js';

const services = JSON.parse(process.argv[2] ?? '[]');
const keyPairs = new Map();
const keyPairOf = (name, address) => {
  if (!keyPairs.has(name)) {
    const { key, cert } = makeCertificate({ commonName: name, altNames: [name, address], validDays: 365 });
    keyPairs.set(name, { key, cert });
  }
  return keyPairs.get(name);
};
await Promise.all(
  services.map(([service, address, port, name]) => {
    const keyPair = keyPairOf(name, address);
    switch (service) {
      case 'smtp-edge':
      case 'smtp-frontend':
        return startLineService(smtpService({ fqdn: name, flavor: service.slice(5) }), { address, port, keyPair });
      case 'https':
        return startHttpsService({ address, port, server: name.split('.')[0].toUpperCase(), publicName: name, keyPair });
      case 'tls':
        return startTlsService({ address, port, keyPair });
      default:
        throw new Error(`wan services: unknown service ${service}`);
    }
  }),
);
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
