import fs from 'node:fs';
import path from 'node:path';

/** AppDirect's own sample events: APPDIRECT_EVENTS_DIR, else the shared folder beside the checkout. */
const SAMPLES_DIR = process.env.APPDIRECT_EVENTS_DIR ?? path.resolve(__dirname, '../../../shared/appdirect-events');

/** Loads a sample and fills its `{{placeholder}}` values; an unfilled placeholder fails the test loudly. */
export function loadSampleEvent(fileName: string, values: Record<string, string> = {}): Record<string, unknown> {
  const text = fs.readFileSync(path.join(SAMPLES_DIR, fileName), 'utf8');
  const filled = text.replace(/\{\{([\w-]+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`sample ${fileName} needs a value for {{${name}}}`);
    return value;
  });
  return JSON.parse(filled) as Record<string, unknown>;
}
