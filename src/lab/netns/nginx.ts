import { exchangeHeaders, exchangeRoutes, LOGON_PAGE, type HeaderValues } from '../web-service.js';

/**
 * Debian's nginx (package nginx-light) as a Mailbox server's web front end inside its
 * namespace: the same virtual directories and headers as the lab's own web service, from a
 * configuration file of its own, with its pid and temporary files under the lab's directory.
 */
export interface NginxSite {
  readonly address: string;
  /** Short server name for X-FEServer. */
  readonly server: string;
  readonly publicName: string;
  readonly certificateFile: string;
  readonly keyFile: string;
  /** A directory for this instance's pid and temporary files. */
  readonly directory: string;
}

/** nginx's quoted string; no value here holds a `$`, which nginx would read as a variable. */
const quote = (value: string) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** nginx sends its own Server and Content-Type headers: adding them again would send two. */
const OWN_HEADERS = new Set(['server', 'content-type']);

function addHeaders(headers: HeaderValues): string[] {
  return Object.entries(headers).filter(([name]) => !OWN_HEADERS.has(name.toLowerCase())).flatMap(([name, value]) =>
    (typeof value === 'string' ? [value] : value).map((one) => `      add_header ${name} ${quote(one)} always;`),
  );
}

export function nginxConfig(site: NginxSite): string {
  const common = [...addHeaders(exchangeHeaders(site.server)), '      add_header request-id $request_id always;'];
  const locations = exchangeRoutes(site.publicName).flatMap((route) => {
    const { Location: location, ...headers } = route.headers as Record<string, string | string[]>;
    const body = route.status === 200 ? ` ${quote(LOGON_PAGE)}` : location ? ` ${quote(String(location))}` : '';
    return [`    location ~* ${quote(route.path)} {`, ...common, ...addHeaders(headers), `      return ${route.status}${body};`, '    }'];
  });
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${site.directory}/${kind};`);
  return [
    'daemon off;',
    'worker_processes 1;',
    `pid ${site.directory}/nginx.pid;`,
    'error_log stderr notice;',
    'events { worker_connections 64; }',
    'http {',
    '  access_log off;',
    '  server_tokens off;',
    '  default_type "text/html; charset=utf-8";',
    ...temp,
    '  server {',
    `    listen ${site.address}:443 ssl;`,
    `    ssl_certificate ${site.certificateFile};`,
    `    ssl_certificate_key ${site.keyFile};`,
    ...locations,
    '    location / {',
    ...common,
    '      return 404;',
    '    }',
    '  }',
    '  server {',
    `    listen ${site.address}:80;`,
    '    location / {',
    ...common,
    `      return 302 ${quote(`https://${site.publicName}/owa`)};`,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}
