import { nginxConfig } from '../../src/lab/netns/nginx.js';

describe('nginx configuration for a Mailbox server', () => {
  const config = nginxConfig({
    address: '198.19.3.11',
    server: 'MBX01',
    publicName: 'mbx01.contoso.lab',
    certificateFile: '/lab/cert.pem',
    keyFile: '/lab/key.pem',
    directory: '/lab/nginx-mbx01',
  });

  test('listens on the host address only, TLS on 443 and a redirect on 80, files under its directory', () => {
    expect(config).toContain('    listen 198.19.3.11:443 ssl;');
    expect(config).toContain('    listen 198.19.3.11:80;');
    expect(config).toContain('pid /lab/nginx-mbx01/nginx.pid;');
    expect(config).toContain('  client_body_temp_path /lab/nginx-mbx01/client_body;');
    expect(config).toContain('      return 302 "https://mbx01.contoso.lab/owa";');
    expect(config).toContain('daemon off;');
  });

  test('answers the virtual directories like the lab web service, with Exchange headers', () => {
    const ews = /location ~\* "\^\/\(autodiscover[^"]*" \{\n([\s\S]*?)\n {4}\}/.exec(config)?.[1] ?? '';
    expect(ews.split('\n')).toEqual([
      '      add_header X-FEServer "MBX01" always;',
      '      add_header X-OWA-Version "15.1.2507.6" always;',
      '      add_header X-Powered-By "ASP.NET" always;',
      '      add_header request-id $request_id always;',
      '      add_header WWW-Authenticate "Negotiate" always;',
      '      add_header WWW-Authenticate "NTLM" always;',
      '      return 401;',
    ]);
    expect(config).toContain('location ~* "^/(owa|ecp)/auth/logon\\\\.aspx$" {');
    expect(config).not.toMatch(/add_header (Server|Content-Type)/i);
  });
});
