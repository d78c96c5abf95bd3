// The single-file builds, every dependency inside:
// - dist/exchange-ports.mjs (ESM), which bin/exchange-ports.js loads and which runs on a bare Node >= 20;
// - with `cjs`, the CommonJS file a single executable application embeds (exe.config.mjs).
// Commands are dynamic imports in src/cli/main.ts: esbuild keeps them lazy inside the one file, so
// a command evaluates only the modules it uses.
import { build } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const FORMATS = {
  esm: {
    // Signals are trapped before the rest of the tool loads: a signal then still gets a scan's partial result.
    contents:
      "import { trapSignalsEarly } from './src/cli/signals.ts';\ntrapSignalsEarly();\nconst { main } = await import('./src/cli/main.ts');\nawait main(process.argv.slice(2));\n",
    // CommonJS dependencies (dns2) call require() for Node's own modules.
    banner: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    define: {},
  },
  cjs: {
    // No top-level await in CommonJS; main sets process.exitCode itself.
    contents:
      "import { trapSignalsEarly } from './src/cli/signals.ts';\ntrapSignalsEarly();\nvoid import('./src/cli/main.ts').then(({ main }) => main(process.argv.slice(2)));\n",
    // yargs calls fileURLToPath(import.meta.url): in CommonJS that is this file.
    banner: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;",
    define: { 'import.meta.url': '__import_meta_url' },
  },
};

/** Bundles the CLI into one file; the same source gives the same bytes. */
export async function bundle(format, outfile) {
  const chosen = FORMATS[format];
  await build({
    stdin: { contents: chosen.contents, resolveDir: root, sourcefile: 'exchange-ports-bundle.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format,
    target: 'node20',
    outfile,
    define: { EXCHANGE_PORTS_TOOL: JSON.stringify({ name: pkg.name, version: pkg.version }), ...chosen.define },
    banner: { js: chosen.banner },
    logLevel: 'warning',
    legalComments: 'inline',
  });
  chmodSync(outfile, 0o755);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle('esm', `${root}dist/exchange-ports.mjs`);
