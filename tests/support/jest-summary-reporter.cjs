// Prints one plain closing line ("tests: N passed, N failed, N skipped") that CI systems which
// do not parse Jest's own summary can read. Written at exit so that it is the last line.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(`\n${line}`));
  }
}
module.exports = SummaryReporter;
