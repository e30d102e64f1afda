/**
 * A jest reporter that collects the suites skipped for want of something (PostgreSQL, Chromium, files
 * from beside the checkout) and why, so that a missing database or browser is not mistaken for a pass.
 * Suites are skipped through describeWhen (requirements.ts), which puts the reason in the suite's title
 * after SKIP_MARK. The block is printed by printSkips.js, the global teardown, which jest runs after its
 * own summary: that way it is the last thing of the run.
 *
 * With CONNECTOR_TESTS_SKIP_NOTHING=1 (set by .ci/run) a skipped suite fails the run instead.
 */
const path = require('node:path');

const SKIP_MARK = ' [skipped: ';

/** The block of the last run, kept for the global teardown (same process, same module instance). */
let collected = '';

class SkipReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
    /** `file › suite` → { file, suite, reason, tests } */
    this.skips = new Map();
  }

  onTestResult(_test, result) {
    const file = path.relative(this.rootDir, result.testFilePath);
    for (const assertion of result.testResults) {
      if (assertion.status !== 'pending') continue;
      const title = assertion.ancestorTitles.find((t) => t.includes(SKIP_MARK));
      if (!title) continue;
      const at = title.indexOf(SKIP_MARK);
      const suite = title.slice(0, at);
      const reason = title.slice(at + SKIP_MARK.length, -1);
      const key = `${file} › ${suite}`;
      const entry = this.skips.get(key) ?? { file, suite, reason, tests: 0 };
      entry.tests += 1;
      this.skips.set(key, entry);
    }
  }

  onRunComplete() {
    collected = this.skips.size ? this.block() : '';
  }

  block() {
    const byReason = new Map();
    for (const entry of this.skips.values()) {
      byReason.set(entry.reason, [...(byReason.get(entry.reason) ?? []), entry]);
    }
    const total = [...this.skips.values()].reduce((sum, e) => sum + e.tests, 0);
    const files = new Set([...this.skips.values()].map((e) => e.file)).size;
    const lines = [`Skipped: ${total} test(s) in ${files} file(s), because something they need is not here:`];
    for (const [reason, suites] of byReason) {
      lines.push(`  ${reason}`);
      for (const s of suites) lines.push(`    - ${s.file}: ${s.suite} (${s.tests})`);
    }
    lines.push('.ci/run provides all of them; docs/development.md says how to run them locally.');
    return `\n${lines.join('\n')}\n`;
  }

  getLastError() {
    if (process.env.CONNECTOR_TESTS_SKIP_NOTHING === '1' && this.skips.size > 0) {
      return new Error(`${this.skips.size} suite(s) were skipped although CONNECTOR_TESTS_SKIP_NOTHING=1`);
    }
    return undefined;
  }
}

SkipReporter.takeCollected = () => {
  const block = collected;
  collected = '';
  return block;
};

module.exports = SkipReporter;
