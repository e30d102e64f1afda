import fs from 'node:fs';
import path from 'node:path';
import { requirement } from '../support/requirements';

/** Events the project wrote in AppDirect's documented shape (test/fixtures/appdirect-events). */
const FIXTURES_DIR = path.resolve(__dirname, '../fixtures/appdirect-events');

/** AppDirect's own samples from its connector SDK: APPDIRECT_EVENTS_DIR, else the shared folder beside the checkout. */
export const SHARED_SAMPLES_DIR = process.env.APPDIRECT_EVENTS_DIR ?? path.resolve(__dirname, '../../../shared/appdirect-events');

export const SHARED_SAMPLES = requirement(
  fs.existsSync(SHARED_SAMPLES_DIR),
  `AppDirect's sample events not found in ${SHARED_SAMPLES_DIR} (set APPDIRECT_EVENTS_DIR to their folder)`,
);

/** One of the project's fixture events, as a fresh object the test may change. */
export function loadFixtureEvent(fileName: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, fileName), 'utf8')) as Record<string, unknown>;
}

/** Loads one of AppDirect's samples and fills its `{{placeholder}}` values; an unfilled placeholder fails the test loudly. */
export function loadSharedSample(fileName: string, values: Record<string, string> = {}): Record<string, unknown> {
  const text = fs.readFileSync(path.join(SHARED_SAMPLES_DIR, fileName), 'utf8');
  const filled = text.replace(/\{\{([\w-]+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`sample ${fileName} needs a value for {{${name}}}`);
    return value;
  });
  return JSON.parse(filled) as Record<string, unknown>;
}
