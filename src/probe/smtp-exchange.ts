import type { SmtpExtensions } from './smtp-ehlo.js';

/** What the greeting and EHLO say about Exchange. Facts for the verdict layer, not a verdict. */
export interface ExchangeFingerprint {
  /** The greeting carries "Microsoft ESMTP MAIL Service" (configurable, so absence proves little). */
  readonly banner: boolean;
  /**
   * The banner is Windows' IIS SMTP service (`Microsoft ESMTP MAIL Service, Version: 6.0.x ready at`):
   * a relay on its own, Exchange 2000/2003 only when their keywords (X-LINK2STATE, XEXCH50) come with it.
   */
  readonly iisSmtp?: { readonly version: string };
  /** The banner is all upper case: Exchange's Mailbox Transport listeners (475, and 476/477 on 2019). */
  readonly mailboxTransport?: boolean;
  /** Exchange-only EHLO keywords seen, sorted. */
  readonly markers: readonly string[];
  /** Keywords that only back-end transport listeners (2525, 465, 475, 717) offer; XEXCH50 is there too. */
  readonly backEnd: readonly string[];
  /** Keywords of Exchange 2010 and before (X-LINK2STATE, XSHADOW); XEXCH50 is not one: 2013+ still offers it. */
  readonly legacy: readonly string[];
  /** The versions the evidence points to, in words; absent when nothing points to Exchange. */
  readonly suggests?: string;
}

const BANNER = /Microsoft ESMTP MAIL Service/i;
const IIS_BANNER = /Microsoft ESMTP MAIL Service, Version: ([0-9][0-9.]*)/i;
const UPPER_BANNER = /MICROSOFT ESMTP MAIL SERVICE READY AT/;

/** Keyword -> what it suggests (from public transcripts: fixtures/smtp/TRANSCRIPTS.md). */
const MARKERS: Readonly<Record<string, string>> = {
  'X-ANONYMOUSTLS': 'Exchange 2007 or later',
  'X-EXPS': 'Exchange',
  'X-EXCHANGEAUTH': 'Exchange 2007 or later (Exchange server authentication)',
  XRDST: 'Exchange 2010 or later',
  XEXCH50: 'Exchange 2003 or later',
  'X-LINK2STATE': 'Exchange 2000/2003/2007 era listener',
  XSHADOW: 'Exchange 2010 shadow redundancy',
  XSHADOWREQUEST: 'Exchange 2013 or later back-end transport',
  XPROXY: 'Exchange 2013 or later back-end transport',
  XPROXYFROM: 'Exchange 2013 or later back-end transport',
  XPROXYTO: 'Exchange 2013 or later front-end proxy',
  XSESSIONPARAMS: 'Exchange 2013 or later back-end transport',
  XADRBAC: 'Exchange 2013 or later back-end transport',
  XSYSPROBE: 'Exchange 2013 or later back-end transport',
  XOORG: 'Exchange 2010 or later',
};

export const BACK_END_KEYWORDS: readonly string[] = ['XSHADOWREQUEST', 'XPROXY', 'XPROXYFROM', 'XSESSIONPARAMS', 'XADRBAC', 'XSYSPROBE', 'XEXCH50'];
export const LEGACY_KEYWORDS: readonly string[] = ['X-LINK2STATE', 'XSHADOW'];

function describe(markers: readonly string[], banner: boolean, iis: ExchangeFingerprint['iisSmtp'], mailboxTransport: boolean): string | undefined {
  if (iis) {
    const exchange = markers.some((keyword) => keyword === 'X-LINK2STATE' || keyword === 'XEXCH50');
    return exchange ? `Exchange 2000/2003 on the Windows IIS SMTP service ${iis.version}` : `Windows IIS SMTP service ${iis.version}, not Exchange`;
  }
  const hints = [...new Set(markers.map((keyword) => MARKERS[keyword]))];
  if (mailboxTransport) hints.unshift('Exchange Mailbox Transport (475; 476/477 on Exchange 2019)');
  if (hints.length > 0) return hints.join('; ');
  return banner ? 'Exchange (version not shown)' : undefined;
}

export function exchangeFingerprint(greeting: readonly string[], ...extensionSets: readonly SmtpExtensions[]): ExchangeFingerprint {
  const iisVersion = greeting.map((line) => IIS_BANNER.exec(line)?.[1]).find((version) => version !== undefined);
  const iisSmtp = iisVersion ? { version: iisVersion } : undefined;
  const banner = !iisSmtp && greeting.some((line) => BANNER.test(line));
  const mailboxTransport = greeting.some((line) => UPPER_BANNER.test(line));
  const seen = new Set(extensionSets.flatMap((extensions) => Object.keys(extensions)));
  const markers = Object.keys(MARKERS).filter((keyword) => seen.has(keyword)).sort();
  const suggests = describe(markers, banner, iisSmtp, mailboxTransport);
  return {
    banner,
    ...(iisSmtp ? { iisSmtp } : {}),
    ...(mailboxTransport ? { mailboxTransport } : {}),
    markers,
    backEnd: BACK_END_KEYWORDS.filter((keyword) => seen.has(keyword)),
    legacy: LEGACY_KEYWORDS.filter((keyword) => seen.has(keyword)),
    ...(suggests ? { suggests } : {}),
  };
}
