import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_FILES } from '../../sim/contract/openapi';

/** Cisco's OpenAPI files: WEBEX_OPENAPI_DIR, else the shared folder beside the checkout. */
export const OPENAPI_DIR = process.env.WEBEX_OPENAPI_DIR ?? path.resolve(__dirname, '../../../shared/webex-openapi');

const specsPresent = CONTRACT_FILES.every((file) => existsSync(path.join(OPENAPI_DIR, file)));

/** `describe` when the files are there; otherwise says so plainly and skips. */
export function describeWithContract(name: string, body: () => void): void {
  if (!specsPresent) {
    console.log(`Webex OpenAPI files not found at ${OPENAPI_DIR}; contract test "${name}" skipped (set WEBEX_OPENAPI_DIR)`);
    describe.skip(name, body);
    return;
  }
  describe(name, body);
}
