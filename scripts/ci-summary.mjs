// The closing lines of a CI log (.ci/run): every failed test with the first lines of its failure,
// then one plain "tests: N passed, N failed, N skipped" line, from vitest's JSON report.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = JSON.parse(readFileSync(process.argv[2] ?? '.vitest-results.json', 'utf8'));
// vitest reports a timeout with the stack of an error it made when the test was declared, whose
// message is the placeholder STACK_TRACE_ERROR: say what happened instead.
const readable = (text) => String(text).replace(/^Error: STACK_TRACE_ERROR$/m, 'Error: timed out (the test or one of its hooks ran past its timeout)');
const firstLines = (text, n) => readable(text).split('\n').filter((l) => l.trim() !== '').slice(0, n).map((l) => `    ${l}`);

for (const file of report.testResults) {
  const name = relative(process.cwd(), file.name);
  const failed = file.assertionResults.filter((a) => a.status === 'failed');
  // A file that failed outside any test (an import error, a failing hook) has a message and no failed test.
  if (file.status === 'failed' && failed.length === 0) console.log(`FAILED ${name}\n${firstLines(file.message, 6).join('\n')}`);
  for (const a of failed) console.log(`FAILED ${name} > ${a.fullName}\n${firstLines(a.failureMessages.join('\n'), 6).join('\n')}`);
}
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
