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

/** Set by the single-file build (scripts/bundle.mjs), where no package.json travels along. */
declare const EXCHANGE_PORTS_TOOL: { name: string; version: string } | undefined;

export const TOOL = typeof EXCHANGE_PORTS_TOOL === 'object' ? EXCHANGE_PORTS_TOOL : read();
