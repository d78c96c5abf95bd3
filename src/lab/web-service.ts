import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { listen, type KeyPair, type Listener } from './listener.js';

/**
 * The Exchange 2016 virtual directories on the front-end web site, answering as IIS does with
 * Exchange's identifying headers, and port 80 redirecting to https.
 */
export interface WebServiceOptions {
  readonly address: string;
  readonly port: number;
  /** The server's short name for X-FEServer, e.g. MBX01. */
  readonly server: string;
  /** The name clients use, for redirects. */
  readonly publicName: string;
}

/** Exchange 2016 CU23. */
const OWA_VERSION = '15.1.2507.6';

export const LOGON_PAGE = '<html><head><title>Outlook</title></head><body></body></html>';

export type HeaderValues = Readonly<Record<string, string | readonly string[]>>;

/** One virtual directory: a case-insensitive path pattern and what IIS answers there. */
export interface WebRoute {
  readonly path: string;
  readonly status: number;
  readonly headers: HeaderValues;
}

const INTEGRATED = { 'WWW-Authenticate': ['Negotiate', 'NTLM'] };

/** The Exchange 2016 front-end virtual directories, first match wins; anything else is 404. */
export function exchangeRoutes(publicName: string): WebRoute[] {
  const logon = (app: string) =>
    `https://${publicName}/${app}/auth/logon.aspx?url=https%3a%2f%2f${publicName}%2f${app}%2f&reason=0`;
  return [
    { path: '^/$', status: 302, headers: { Location: `https://${publicName}/owa` } },
    { path: '^/(owa|ecp)/auth/logon\\.aspx$', status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } },
    { path: '^/owa/?$', status: 302, headers: { Location: logon('owa') } },
    { path: '^/ecp/?$', status: 302, headers: { Location: logon('ecp') } },
    { path: '^/microsoft-server-activesync', status: 401, headers: { 'WWW-Authenticate': `Basic realm="${publicName}"` } },
    {
      path: '^/(autodiscover/autodiscover\\.xml|ews/exchange\\.asmx|mapi/?|oab/?|rpc/rpcproxy\\.dll|ews/mrsproxy\\.svc)$',
      status: 401,
      headers: INTEGRATED,
    },
  ];
}

const NOT_FOUND: WebRoute = { path: '', status: 404, headers: { 'Content-Type': 'text/html' } };

function answer(path: string, routes: readonly WebRoute[]): WebRoute {
  const bare = path.split('?')[0] ?? '';
  return routes.find((route) => new RegExp(route.path, 'i').test(bare)) ?? NOT_FOUND;
}

/** Headers IIS and Exchange add to every answer (request-id varies per request). */
export function exchangeHeaders(server: string): Record<string, string> {
  return {
    Server: 'Microsoft-IIS/10.0',
    'X-FEServer': server,
    'X-OWA-Version': OWA_VERSION,
    'X-Powered-By': 'ASP.NET',
  };
}

function respond(request: IncomingMessage, response: ServerResponse, options: WebServiceOptions, routes: readonly WebRoute[]): void {
  const { status, headers } = answer(request.url ?? '/', routes);
  response.writeHead(status, { ...exchangeHeaders(options.server), 'request-id': randomUUID(), ...(headers as Record<string, string | string[]>) });
  response.end(status === 200 ? LOGON_PAGE : '');
}

export function startHttpsService(options: WebServiceOptions & { keyPair: KeyPair }): Promise<Listener> {
  const routes = exchangeRoutes(options.publicName);
  const server = createHttpsServer({ ...options.keyPair }, (request, response) => respond(request, response, options, routes));
  return listen(server, options.address, options.port);
}

/** Port 80: the good state, a redirect of everything to https (OWA redirection configured). */
export function startHttpRedirect(options: WebServiceOptions): Promise<Listener> {
  const server = createHttpServer((request, response) => {
    response.writeHead(302, { ...exchangeHeaders(options.server), 'request-id': randomUUID(), Location: `https://${options.publicName}/owa` });
    response.end();
  });
  return listen(server, options.address, options.port);
}
