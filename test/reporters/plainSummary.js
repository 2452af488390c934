// Prints one plain closing line, "N passed, N failed, N skipped", that any CI can read without knowing jest.
// A suite that fails to run counts as a failure, so the line never reads "0 failed" on a red run.
export default class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    console.log(`tests: ${results.numPassedTests} passed, ${failed} failed, ${results.numPendingTests} skipped`);
  }
}
