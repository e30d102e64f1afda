import type { ProvisioningSettings } from '../config';

/** Subscriber packages that put the user on Webex Calling, so they need a location and an extension. */
const CALLING_PACKAGES = new Set(['webex_calling', 'webex_suite', 'webex_voice', 'webex_calling_standard', 'cx_essentials']);

export const isCallingPackage = (pkg: string | undefined): boolean => !!pkg && CALLING_PACKAGES.has(pkg);

/** AppDirect edition code → Webex subscriber package; by default the edition code is the package name. */
export function packageForEdition(settings: ProvisioningSettings, editionCode: string): string {
  // Own keys only: an edition code such as `constructor` must not find what every object inherits.
  const mapped = (code: string) => (Object.hasOwn(settings.editionPackages, code) ? settings.editionPackages[code] : undefined);
  return mapped(editionCode) ?? mapped(editionCode.toUpperCase()) ?? editionCode;
}
