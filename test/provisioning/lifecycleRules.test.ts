import { parseEvent, OrderEvent } from '../../src/appdirect/eventSchema';
import { parseConfig } from '../../src/config';
import { customerPlace } from '../../src/provisioning/address';
import { ProvisioningError } from '../../src/provisioning/errors';
import { packageForAddon } from '../../src/provisioning/packages';
import { seatsOf } from '../../src/provisioning/seats';
import { subscriberPackages } from '../../src/provisioning/subscription';
import type { Account } from '../../src/store/accounts';
import { orderEvent, SimAddress } from '../../sim/appdirect/events';
import { validEnv } from '../support/env';

const settings = parseConfig({
  ...validEnv(),
  ADDON_PACKAGES: '{"AC":"attendant_console","PLAN":{"package":"cisco_calling_plan","level":"customer"},"AGENT":{"package":"webex_calling","level":"subscriber"}}',
  COUNTRY_ADDRESSES: '{"GB":{"address":"1 Poultry","city":"London","zip":"EC2R 8EJ","timezone":"Europe/London"}}',
}).provisioning;

function order(input: { country?: string | null; address?: Partial<SimAddress> }): OrderEvent {
  const raw = orderEvent({ companyUuid: 'c', companyName: 'C', email: 'a@b.example', firstName: 'A', lastName: 'B', editionCode: 'E', country: input.country });
  if (input.address) (raw.creator as Record<string, unknown>).address = input.address;
  const parsed = parseEvent(raw);
  if (!parsed.ok || parsed.kind !== 'known' || parsed.event.type !== 'SUBSCRIPTION_ORDER') throw new Error('expected an order');
  return parsed.event as OrderEvent;
}

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (err) {
    return err instanceof ProvisioningError ? { code: err.code, message: err.message } : err;
  }
  throw new Error('expected a refusal');
};

describe('which address a new customer gets', () => {
  const full = { street1: '10 Downing St', city: 'London', state: '', zip: 'SW1A 2AA', country: 'GB' };

  test.each([
    ['the company country, with its configured address', { country: 'GB' }, { addressLine1: '1 Poultry', city: 'London', country: 'GB' }, 'Europe/London'],
    ['the creator address country when the company has none', { country: null, address: full }, { addressLine1: '10 Downing St', zipOrPostalCode: 'SW1A 2AA', country: 'GB' }, 'Europe/London'],
    ['the default country last', { country: null }, { addressLine1: '771 Alder Drive', city: 'Milpitas', country: 'US' }, 'America/Los_Angeles'],
    ['the configured address when the creator address is in another country', { country: 'US', address: full }, { addressLine1: '771 Alder Drive', country: 'US' }, 'America/Los_Angeles'],
    ["the creator's address in the company country when it states none", { country: 'GB', address: { ...full, country: '' } }, { addressLine1: '10 Downing St', country: 'GB' }, 'Europe/London'],
  ])('%s', (_name, input, address, timezone) => {
    const place = customerPlace(settings, order(input));
    expect(place.address).toMatchObject(address);
    expect(place.timezone).toBe(timezone);
  });

  test('never completes a partial address from the configured one, nor gives the configured one another country', () => {
    const place = customerPlace(settings, order({ country: 'GB', address: { street1: '10 Downing St', city: 'London', country: 'GB' } }));
    expect(place.address).toEqual({ addressLine1: '10 Downing St', addressLine2: undefined, city: 'London', stateOrProvince: undefined, zipOrPostalCode: undefined, country: 'GB' });
    expect(refusal(() => customerPlace(settings, order({ country: 'FR' })))).toEqual({
      code: 'CONFIGURATION_ERROR',
      message: 'The company is in FR (from payload.company.country); the event has no complete street address there, and none is configured: add FR to COUNTRY_ADDRESSES',
    });
    expect(refusal(() => customerPlace(settings, order({ country: null, address: { ...full, country: 'FR' } })))).toMatchObject({
      message: expect.stringContaining("the creator's address is complete, but no time zone is configured for FR"),
    });
  });
});

describe('add-on packages, seats and package lists', () => {
  test('add-on codes map through ADDON_PACKAGES, else are the package name, with its level from the Webex package list', () => {
    expect(packageForAddon(settings, 'AC')).toEqual({ code: 'AC', package: 'attendant_console', level: 'subscriber' });
    expect(packageForAddon(settings, 'plan')).toEqual({ code: 'plan', package: 'cisco_calling_plan', level: 'customer' });
    expect(packageForAddon(settings, 'cx_voice_ports')).toEqual({ code: 'cx_voice_ports', package: 'cx_voice_ports', level: 'customer' });
    expect(packageForAddon(settings, 'AGENT')).toMatchObject({ package: 'webex_calling', level: 'subscriber' });
    expect(refusal(() => packageForAddon(settings, 'constructor'))).toMatchObject({ code: 'CONFIGURATION_ERROR' });
  });

  test('seats are the USER item quantity, absent for single-user products', () => {
    expect(seatsOf({ items: [{ unit: 'GIGABYTE', quantity: 50 }, { unit: 'user', quantity: '12' }] })).toBe(12);
    expect(seatsOf({ items: [{ unit: 'GIGABYTE', quantity: 50 }] })).toBeUndefined();
    expect(seatsOf({ items: [] })).toBeUndefined();
  });

  test("a subscriber's list is the edition's package, then each active subscriber-level add-on's once", () => {
    const addon = (pkg: string, level: 'subscriber' | 'customer', status: Account['status'] = 'active') => ({ package: pkg, packageLevel: level, status }) as Account;
    const addons = [addon('attendant_console', 'subscriber'), addon('attendant_console', 'subscriber'), addon('cisco_calling_plan', 'customer'), addon('cx_standard_agent', 'subscriber', 'cancelled')];
    expect(subscriberPackages('webex_calling', addons)).toEqual(['webex_calling', 'attendant_console']);
  });
});
