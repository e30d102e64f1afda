/**
 * Suites that need something a plain clone does not have (PostgreSQL, Chromium, files from beside the
 * checkout) declare it here. When it is missing the suite is skipped, and the reason travels in the
 * suite's title, where test/support/skipReporter.js finds it and lists it at the end of the run.
 */
export interface Requirement {
  met: boolean;
  /** What is missing and how to provide it, in one line: shown in the skip block. */
  missing: string;
}

/** Must match SKIP_MARK in skipReporter.js. */
const SKIP_MARK = ' [skipped: ';

export function requirement(met: boolean, missing: string): Requirement {
  return { met, missing };
}

/** `describe` when the requirement is met; otherwise the suite is skipped with its reason in the title. */
export function describeWhen(needed: Requirement, name: string, body: () => void): void {
  if (needed.met) describe(name, body);
  else describe.skip(`${name}${SKIP_MARK}${needed.missing}]`, body);
}
