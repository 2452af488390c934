// Prints one plain closing line, "N passed, N failed, N skipped", that any CI can read without knowing jest.
export default class PlainSummaryReporter {
  onRunComplete(_contexts, results) {
    console.log(
      `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`,
    );
  }
}
