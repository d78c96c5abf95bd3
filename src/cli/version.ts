import { readFileSync } from 'node:fs';

/** The package's name and version, read once from package.json next to dist/ or src/. */
function read(): { name: string; version: string } {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const pkg = JSON.parse(text) as { name?: string; version?: string };
    return { name: pkg.name ?? 'exchange-ports', version: pkg.version ?? '0.0.0' };
  } catch {
    return { name: 'exchange-ports', version: '0.0.0' };
  }
}

export const TOOL = read();
