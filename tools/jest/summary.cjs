// Adds up Jest's JSON results and prints the closing line "Tests: N passed, N failed[, N skipped]".
const fs = require('node:fs');
let passed = 0, failed = 0, skipped = 0, suitesFailed = 0, missing = [];
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) { missing.push(file); continue; }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  suitesFailed += r.numFailedTestSuites;
}
if (missing.length) console.log(`missing results: ${missing.join(', ')}`);
if (suitesFailed) console.log(`${suitesFailed} test file(s) failed to run or had failures`);
console.log(`Tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed || suitesFailed || missing.length || passed === 0 ? 1 : 0);
