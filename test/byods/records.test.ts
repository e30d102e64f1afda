import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { RecordWriter } from '../../src/byods/records';
import { tempDir } from './support/cli';

const at = new Date(2025, 2, 4, 5, 6, 7);

test('names follow the script, files are 0600, and credentials never land in them', () => {
  const dir = tempDir();
  const records = new RecordWriter(dir, () => at);
  const path = records.writeOperation({
    operation: 'update',
    dataSourceId: 'abc-123',
    configuration: { nonce: 'n', accessToken: 'secret-token' },
    apiResponse: { id: 'abc-123', jwsToken: 'eyJ.secret.sig', nested: { refresh_token: 'r-secret' } },
    success: true,
  });
  expect(basename(path)).toBe('data_source_update_abc-123_20250304_050607.json');
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const text = readFileSync(path, 'utf8');
  expect(text).not.toMatch(/secret/);
  expect(JSON.parse(text)).toEqual({
    operation_timestamp: at.toISOString(),
    operation_type: 'update',
    data_source_id: 'abc-123',
    configuration: { nonce: 'n', accessToken: '[redacted]' },
    api_response: { id: 'abc-123', jwsToken: '[redacted]', nested: { refresh_token: '[redacted]' } },
    success: true,
  });
});

test('failures in the same second do not overwrite each other; IDs cannot steer the path', () => {
  const dir = tempDir();
  const records = new RecordWriter(dir, () => at);
  const failed = { operation: 'extend' as const, configuration: {}, apiResponse: {}, success: false };
  expect(basename(records.writeOperation(failed))).toBe('data_source_extend_failed_20250304_050607.json');
  expect(basename(records.writeOperation(failed))).toBe('data_source_extend_failed_20250304_050607_2.json');
  expect(basename(records.writeOperation({ ...failed, success: true, dataSourceId: '../../etc/x' }))).toBe('data_source_extend_______etc_x_20250304_050607.json');
});
