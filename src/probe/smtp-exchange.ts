import type { SmtpExtensions } from './smtp-ehlo.js';

/** What the greeting and EHLO say about Exchange. Facts for the verdict layer, not a verdict. */
export interface ExchangeFingerprint {
  /** The greeting carries "Microsoft ESMTP MAIL Service" (configurable, so absence proves little). */
  readonly banner: boolean;
  /** Exchange-only EHLO keywords seen, sorted. */
  readonly markers: readonly string[];
  /** Keywords that only back-end transport listeners (2525, 465, 475, 717) or old versions offer. */
  readonly backEnd: readonly string[];
  readonly legacy: readonly string[];
  /** The versions the evidence points to, in words; absent when nothing points to Exchange. */
  readonly suggests?: string;
}

const BANNER = /Microsoft ESMTP MAIL Service/i;

/** Keyword -> what it suggests. */
const MARKERS: Readonly<Record<string, string>> = {
  'X-ANONYMOUSTLS': 'Exchange 2007 or later',
  'X-EXPS': 'Exchange',
  XRDST: 'Exchange 2013 or later (front end)',
  XEXCH50: 'Exchange 2003-2010 era listener',
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
export const LEGACY_KEYWORDS: readonly string[] = ['XEXCH50', 'X-LINK2STATE', 'XSHADOW'];

export function exchangeFingerprint(greeting: readonly string[], ...extensionSets: readonly SmtpExtensions[]): ExchangeFingerprint {
  const banner = greeting.some((line) => BANNER.test(line));
  const seen = new Set(extensionSets.flatMap((extensions) => Object.keys(extensions)));
  const markers = Object.keys(MARKERS).filter((keyword) => seen.has(keyword)).sort();
  const hints = [...new Set(markers.map((keyword) => MARKERS[keyword]))];
  const suggests = hints.length > 0 ? hints.join('; ') : banner ? 'Exchange (version not shown)' : undefined;
  return {
    banner,
    markers,
    backEnd: BACK_END_KEYWORDS.filter((keyword) => seen.has(keyword)),
    legacy: LEGACY_KEYWORDS.filter((keyword) => seen.has(keyword)),
    ...(suggests ? { suggests } : {}),
  };
}
