// The single-file build: dist/exchange-ports.mjs, every dependency inside, for a bare Node >= 20.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const outfile = new URL('./dist/exchange-ports.mjs', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

await build({
  stdin: {
    contents:
      "import { trapSignalsEarly } from './src/cli/signals.ts';\ntrapSignalsEarly();\nconst { main } = await import('./src/cli/main.ts');\nawait main(process.argv.slice(2));\n",
    resolveDir: new URL('.', import.meta.url).pathname,
    sourcefile: 'exchange-ports-bundle.ts',
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  define: { EXCHANGE_PORTS_TOOL: JSON.stringify({ name: pkg.name, version: pkg.version }) },
  // CommonJS dependencies (dns2) call require() for Node's own modules.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
  legalComments: 'inline',
});
chmodSync(outfile, 0o755);
