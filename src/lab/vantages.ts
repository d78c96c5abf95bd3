import type { Vantage } from '../plan/types.js';
import type { LabOrganization } from './organization.js';

/**
 * Where a lab is scanned from: the Internet (which stands for external clients too), then the
 * first Edge and the first Mailbox server, each named so that it is never its own destination.
 */
export function labVantages(organization: LabOrganization): Vantage[] {
  const first = (role: 'edge' | 'mailbox') => organization.hosts.find((host) => host.role === role);
  return [
    { role: 'internet' },
    ...(['edge', 'mailbox'] as const).flatMap((role): Vantage[] => {
      const host = first(role);
      return host ? [{ role, host: host.name }] : [];
    }),
  ];
}

/** The `--from` argument for a vantage. */
export function fromArgument(vantage: Vantage): string {
  return vantage.host ? `${vantage.role}:${vantage.host}` : vantage.role;
}
