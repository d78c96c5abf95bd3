#!/usr/bin/env node
import { trapSignalsEarly } from '../dist/cli/signals.js';

// Before the rest of the tool loads: a signal in that moment still gets a scan's partial result.
trapSignalsEarly();
const { main } = await import('../dist/cli/main.js');
await main(process.argv.slice(2));
