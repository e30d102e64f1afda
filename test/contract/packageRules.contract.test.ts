import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ADDON_PACKAGE_LEVELS, PACKAGE_DEPENDENCIES } from '../../src/webex/packageRules';
import { describeWithContract, OPENAPI_DIR } from '../support/openapi';

type Operation = { description?: string };
type Spec = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { enum?: string[] }> } };

describeWithContract("the connector's package facts match Webex's OpenAPI file", () => {
  // Read in beforeAll, not here: a skipped suite's body still runs, and then the file is not there.
  let spec: Spec;
  beforeAll(() => {
    spec = JSON.parse(readFileSync(path.join(OPENAPI_DIR, 'webex-wholesale.json'), 'utf8')) as Spec;
  });

  test('every dependency the operations state ("`x` is dependent on: `a`, `b`") is known, and no other', () => {
    const stated = new Map<string, string[]>();
    for (const operations of Object.values(spec.paths)) {
      for (const { description } of Object.values(operations)) {
        for (const [, pkg, list] of (description ?? '').matchAll(/`(\w+)` is dependent on: ((?:`\w+`(?:, )?)+)/g)) {
          stated.set(pkg, [...list.matchAll(/`(\w+)`/g)].map((m) => m[1]));
        }
      }
    }
    expect(Object.fromEntries(stated)).toEqual(PACKAGE_DEPENDENCIES);
  });

  test('add-on levels name packages of the right lists: subscriber-level ones are subscriber packages, customer-level ones are not', () => {
    const subscriberPackages = spec.components.schemas.WholesalePackagesSubscriber.enum ?? [];
    const customerPackages = spec.components.schemas.WholesalePackagesCustomer.enum ?? [];
    for (const [pkg, level] of Object.entries(ADDON_PACKAGE_LEVELS)) {
      expect(customerPackages).toContain(pkg);
      expect({ pkg, onSubscribers: subscriberPackages.includes(pkg) }).toEqual({ pkg, onSubscribers: level === 'subscriber' });
    }
  });
});
