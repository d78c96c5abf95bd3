/**
 * Ends the run with one plain line, `N passed, N failed` (and skipped when any), which CI
 * systems that do not know jest's own summary can read.
 */
export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    // Jest prints its own summary after every reporter's onRunComplete: be the closing line.
    process.once('exit', () => process.stderr.write(`${line}\n`));
  }
}
