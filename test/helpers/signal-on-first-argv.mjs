// Preloaded with `node --import` by test/cli/scan-early-signal.test.ts: the first time code in
// the CLI's single-file build reads process.argv (its entry does, to hand the arguments to
// main, before any command is loaded), this process sends itself EXCHANGE_PORTS_TEST_SIGNAL.
// That is a signal while the tool is still loading, at a moment no timing can miss.
const signal = process.env.EXCHANGE_PORTS_TEST_SIGNAL;
const argv = process.argv;
let sent = false;
Object.defineProperty(process, 'argv', {
  configurable: true,
  get() {
    if (!sent && signal && /exchange-ports\.mjs/.test(new Error().stack ?? '')) {
      sent = true;
      process.kill(process.pid, signal);
    }
    return argv;
  },
});
