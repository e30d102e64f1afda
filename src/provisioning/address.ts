import type { OrderEvent } from '../appdirect/eventSchema';
import type { ProvisioningSettings } from '../config';
import type { NewCustomer } from '../webex/wholesale';
import { ProvisioningError } from './errors';

/** Where a new customer is: its billing address (also its calling location's) and the time zone of both. */
export interface CustomerPlace {
  address: NewCustomer['address'];
  timezone: string;
  /** Which source the address came from, for the timeline. */
  source: string;
}

const clip = (value: string | undefined) => (value?.trim() ? value.trim().slice(0, 50) : undefined);
const upper = (value: string | undefined) => value?.trim().toUpperCase() || undefined;

/**
 * Where the company is, from the event first and the configuration last:
 * 1. the country is `payload.company.country`, else the creator's address country, else COUNTRY;
 * 2. the street address is the creator's when it is complete (street and city) and in that country (its own, or
 *    the company's when it states none), else the
 *    configured one for that country (ADDRESS… for COUNTRY, COUNTRY_ADDRESSES for others);
 * 3. the time zone is the configured one for that country (TIMEZONE for COUNTRY).
 * A partial creator address is never completed from the configured one, and the configured address is never
 * given another country: without an address and a time zone for the country, the order is refused.
 */
export function customerPlace(settings: ProvisioningSettings, event: OrderEvent): CustomerPlace {
  const creatorAddress = event.creator?.address;
  const fromCompany = upper(event.payload.company.country);
  const fromCreator = upper(creatorAddress?.country);
  const country = fromCompany ?? fromCreator ?? settings.defaultAddress.country;
  const countrySource = fromCompany ? 'payload.company.country' : fromCreator ? "the creator's address" : 'COUNTRY';
  const configured = configuredPlace(settings, country);

  const creatorStreet = clip(creatorAddress?.street1);
  const creatorCity = clip(creatorAddress?.city);
  // An address whose country nobody states is not assumed to be in the default one.
  if (creatorStreet && creatorCity && (fromCreator ?? fromCompany) === country) {
    if (!configured) throw missingCountry(country, countrySource, `the creator's address is complete, but no time zone is configured for ${country}`);
    return {
      address: {
        addressLine1: creatorStreet,
        addressLine2: clip(creatorAddress?.street2),
        city: creatorCity,
        stateOrProvince: clip(creatorAddress?.state),
        zipOrPostalCode: clip(creatorAddress?.zip),
        country,
      },
      timezone: configured.timezone,
      source: "the creator's address",
    };
  }
  if (!configured) throw missingCountry(country, countrySource, `the event has no complete street address there, and none is configured`);
  const { timezone, name, ...lines } = configured;
  return { address: { ...lines, country }, timezone, source: name };
}

interface ConfiguredPlace {
  addressLine1: string;
  addressLine2?: string;
  city: string;
  stateOrProvince?: string;
  zipOrPostalCode?: string;
  timezone: string;
  name: string;
}

function configuredPlace(settings: ProvisioningSettings, country: string): ConfiguredPlace | undefined {
  const extra = Object.hasOwn(settings.countryAddresses, country) ? settings.countryAddresses[country] : undefined;
  if (extra) return { ...extra, name: `COUNTRY_ADDRESSES.${country}` };
  if (country !== settings.defaultAddress.country) return undefined;
  const { country: _country, ...lines } = settings.defaultAddress;
  return { ...lines, timezone: settings.timezone, name: 'the default address (ADDRESS, CITY, STATE, ZIP_CODE, COUNTRY)' };
}

function missingCountry(country: string, source: string, problem: string): ProvisioningError {
  return new ProvisioningError('CONFIGURATION_ERROR', `The company is in ${country} (from ${source}); ${problem}: add ${country} to COUNTRY_ADDRESSES`);
}
