/**
 * Debian's Postfix as the Internet's mail host (mx.example.org) inside its namespace: a real MTA
 * that is not Exchange, where Exchange's outbound mail and the Edge server's connect. Its own
 * configuration directory, queue and log under the lab's directory; the system instance is
 * never configured or started.
 */
export interface PostfixSite {
  readonly hostName: string;
  readonly address: string;
  readonly certificateFile: string;
  readonly keyFile: string;
  /** Holds conf/, queue/, data/ and the log. */
  readonly directory: string;
}

export function postfixMainCf(site: PostfixSite): string {
  return [
    'compatibility_level = 3.6',
    `myhostname = ${site.hostName}`,
    'mydestination =',
    'relayhost =',
    `inet_interfaces = ${site.address}`,
    'inet_protocols = ipv4',
    `queue_directory = ${site.directory}/queue`,
    `data_directory = ${site.directory}/data`,
    `maillog_file = ${site.directory}/maillog`,
    `maillog_file_prefixes = ${site.directory}`,
    'smtpd_peername_lookup = no',
    'smtp_dns_support_level = disabled',
    'smtpd_banner = $myhostname ESMTP Postfix',
    'smtpd_tls_security_level = may',
    'smtpd_tls_protocols = >=TLSv1.2',
    `smtpd_tls_cert_file = ${site.certificateFile}`,
    `smtpd_tls_key_file = ${site.keyFile}`,
    'alias_maps =',
    'alias_database =',
    'mynetworks =',
    '',
  ].join('\n');
}

/** Debian's master.cf with smtpd out of its chroot: no jail to furnish. */
export function postfixMasterCf(debianMasterCf: string): string {
  return debianMasterCf.replace(/^(smtp\s+inet\s+n\s+-\s+)y/m, '$1n');
}
