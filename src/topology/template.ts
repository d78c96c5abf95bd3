/** Flow-style one-liners keep the hosts readable; comments say what each line is for. */
function hostsSection(edge: boolean): string {
  const edgeHosts = edge
    ? `  edge:                     # the subscribed Edge Transport servers
    - name: edge01.contoso.com
      address: 198.18.2.25
      # ports: { edgesync: 50636 }   # only if EdgeSync's port was changed before subscribing
`
    : `  # edge:                   # with edge: subscribed, the Edge Transport servers
  #   - { name: edge01.contoso.com, address: 198.18.2.25 }
`;
  return `hosts:
  mailbox:                  # at least one Mailbox server
    - name: mbx01.contoso.local
      address: 198.18.3.10  # optional: without it the name is resolved
      external: mail.contoso.com   # optional: the name clients and the Internet use
${edge ? '      # edgeSync: false     # a Mailbox server added after the Edge subscription\n' : ''}${edgeHosts}  dns: [198.18.3.53]        # the DNS servers Exchange resolves next hops with
  domain-controller: [dc01.contoso.local]
  # client: [198.18.4.20]                  # hosts clients connect from
  # office365: [contoso.mail.example.net]  # Exchange Online endpoints (hybrid: true)
  # voip-gateway: [198.18.3.60]            # VoIP gateways or IP-PBX (unifiedMessaging: true)
`;
}

/** Open proxy detection goes to hosts the organization does not control: only one that answers everywhere proves a block. */
const RESPONDERS = `  # responders: [198.18.9.9] # hosts that answer on every TCP port (one you run, or a public
  #                           # all-ports test service): the open proxy checks go there, and
  #                           # without one their silence is inconclusive, not a failure
`;

/** A commented topology that validates as it stands: edit the names and addresses, keep the shape. */
export function renderTemplate(options: { edge: boolean }): string {
  const { edge } = options;
  return `# exchange-ports topology: the Exchange 2016 organization whose network is checked.
# Check it with: exchange-ports plan -t <this file> --from ${edge ? 'edge' : 'mailbox'}
# The addresses below (198.18.0.0/15) are placeholders: put your own.

organization: contoso               # required: the Exchange organization
site: Default-First-Site-Name       # optional: the Active Directory site${edge ? ' the Edge is subscribed to' : ''}
${`edge: ${edge ? 'subscribed' : 'none'}`.padEnd(36)}# subscribed: an Edge Transport server relays Internet mail; none: no Edge

features:                   # the defaults are shown
  imap4: false              # IMAP4 143 and 993 (off by default in Exchange 2016)
  pop3: false               # POP3 110 and 995 (off by default)
  smtpSubmission: true      # 587 for authenticated SMTP clients
  outboundProxy: false      # a Send connector with FrontEndProxyEnabled (without Edge)
  openProxyDetection: true  # sender reputation probes connecting hosts for open proxies (Edge)
  hybrid: false             # Exchange Online hybrid: 25 and 443 with the office365 hosts
  unifiedMessaging: false   # SIP 5060/5061 and RTP with the voip-gateway hosts

${hostsSection(edge)}
networks:                   # optional: your own networks (CIDRs); for the firewall rules
${edge ? '  - 198.18.2.0/24           # (exchange-ports rules), an address in none of them and of no\n' : ''}  - 198.18.3.0/24           # ${edge ? 'host above is the Internet' : '(exchange-ports rules), an address in none of them and of no'}
${edge ? '' : '                            # host above is the Internet\n'}
internet:
  # hosts: [mx.example.org]   # Internet hosts for outbound SMTP and open proxy checks
  mxDomain: example.org     # outbound 25 is tested against this domain's MX hosts
${edge ? RESPONDERS : ''}
# certificates:             # optional: who issues your certificates, per service (https, smtp,
#   https:                  # imaps, ...); another issuer or fingerprint is TLS interception
#     issuers: [Contoso Issuing CA]           # part of the issuer's name, case-insensitive
#     fingerprints: [AB:CD:...]               # SHA-256, 64 hex digits, colons optional
#   smtp: { issuers: [Contoso Issuing CA] }
`;
}
