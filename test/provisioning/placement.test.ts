import { packageForEdition } from '../../src/provisioning/packages';
import { isCallingPackage } from '../../src/webex/packageRules';
import { pickLocation } from '../../src/provisioning/subscriber';
import type { ProvisioningSettings } from '../../src/config';

const settings = { editionPackages: { BASIC: 'webex_meetings' } } as unknown as ProvisioningSettings;

describe('packages and placement', () => {
  test('edition codes map through the config, else are the package name', () => {
    expect(packageForEdition(settings, 'BASIC')).toBe('webex_meetings');
    expect(packageForEdition(settings, 'basic')).toBe('webex_meetings');
    expect(packageForEdition(settings, 'webex_suite')).toBe('webex_suite');
  });

  test('calling packages are the ones that need a location and extension', () => {
    expect(['webex_calling', 'webex_suite', 'webex_voice', 'webex_calling_standard', 'cx_essentials'].every(isCallingPackage)).toBe(true);
    expect(isCallingPackage('webex_meetings')).toBe(false);
  });

  test('the location at the customer address wins, else the first', () => {
    const locations = [
      { id: 'a', address: { address1: '1 Other Rd', postalCode: '10000' } },
      { id: 'b', address: { address1: '771 Alder Drive ', postalCode: '95035' } },
    ];
    const customer = { id: 'c', orgId: 'o', address: { addressLine1: '771 alder drive', zipOrPostalCode: '95035' } };
    expect(pickLocation(locations, customer)?.id).toBe('b');
    expect(pickLocation(locations, { ...customer, address: { addressLine1: 'Elsewhere', zipOrPostalCode: '1' } })?.id).toBe('a');
    expect(pickLocation([], customer)).toBeUndefined();
  });
});
