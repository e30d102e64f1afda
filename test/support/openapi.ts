import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONTRACT_FILES } from '../../sim/contract/openapi';
import { describeWhen, requirement } from './requirements';

/** Cisco's OpenAPI files: WEBEX_OPENAPI_DIR, else the shared folder beside the checkout. */
export const OPENAPI_DIR = process.env.WEBEX_OPENAPI_DIR ?? path.resolve(__dirname, '../../../shared/webex-openapi');

const specsPresent = CONTRACT_FILES.every((file) => existsSync(path.join(OPENAPI_DIR, file)));

const CONTRACT = requirement(specsPresent, `Webex OpenAPI files not found in ${OPENAPI_DIR} (set WEBEX_OPENAPI_DIR to the folder of ${CONTRACT_FILES.join(', ')})`);

/** `describe` when the files are there; otherwise skipped, with the reason listed at the end of the run. */
export function describeWithContract(name: string, body: () => void): void {
  describeWhen(CONTRACT, name, body);
}
