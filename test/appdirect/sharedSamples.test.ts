import fs from 'node:fs';
import { parseEvent } from '../../src/appdirect/eventSchema';
import { describeWhen } from '../support/requirements';
import { loadSharedSample, SHARED_SAMPLES, SHARED_SAMPLES_DIR } from './sampleEvents';

const PLACEHOLDERS = { 'fake-appmarket-url': 'https://market.example', 'account-id': 'acct-1' };

/** AppDirect's own sample events, when they are beside the checkout: every one must parse, with its fields kept. */
describeWhen(SHARED_SAMPLES, "parseEvent with AppDirect's own sample events", () => {
  const files = () => fs.readdirSync(SHARED_SAMPLES_DIR).filter((name) => name.endsWith('.json'));

  it('finds samples to check', () => {
    expect(files().length).toBeGreaterThan(0);
  });

  it('parses every sample, with the type it names', () => {
    for (const file of files()) {
      const raw = loadSharedSample(file, PLACEHOLDERS);
      expect({ file, parsed: parseEvent(raw) }).toMatchObject({ file, parsed: { ok: true, event: { type: raw.type } } });
    }
  });

  it('keeps the fields the connector uses from an order', () => {
    const parsed = parseEvent(loadSharedSample('subscription-order.json', PLACEHOLDERS));
    expect(parsed).toMatchObject({
      ok: true,
      event: { marketplace: { baseUrl: 'https://market.example' }, creator: { email: expect.stringContaining('@') }, payload: { company: { uuid: expect.any(String) }, order: { editionCode: expect.any(String) } } },
    });
  });
});
