import { runService } from './service-run.js';
import { implicitTlsFacts, TLS_DEFAULTS, type TlsProberOptions } from './tls.js';
import type { TlsFacts } from './tls-facts.js';
import type { Prober, ServiceFacts } from './types.js';

/** EdgeSync's secure LDAP (50636): the TLS handshake and certificate, no LDAP bind. */
export interface LdapsFacts extends TlsFacts, ServiceFacts {
  readonly kind: 'ldaps';
}

export function makeLdapsProber(options: TlsProberOptions = TLS_DEFAULTS): Prober {
  return (target, signal) =>
    runService(target, signal, options.sessionTimeoutMs, async (socket, session): Promise<LdapsFacts> => ({
      kind: 'ldaps',
      ...(await implicitTlsFacts(target, options, socket, session)),
    }));
}
