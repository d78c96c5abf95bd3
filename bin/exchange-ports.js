#!/usr/bin/env node
// The single-file build (npm run build): one file to open, so the CLI starts fast and under a
// small open-file limit (ulimit -n 64), where dist/cli/'s many modules could not all be opened.
import '../dist/exchange-ports.mjs';
