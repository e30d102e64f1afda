import type { ProvisioningSettings } from '../config';
import type { PackageLevel } from '../store/accounts';
import { ADDON_PACKAGE_LEVELS } from '../webex/packageRules';
import { ProvisioningError } from './errors';

/** AppDirect edition code → Webex subscriber package; by default the edition code is the package name. */
export function packageForEdition(settings: ProvisioningSettings, editionCode: string): string {
  // Own keys only: an edition code such as `constructor` must not find what every object inherits.
  const mapped = (code: string) => (Object.hasOwn(settings.editionPackages, code) ? settings.editionPackages[code] : undefined);
  return mapped(editionCode) ?? mapped(editionCode.toUpperCase()) ?? editionCode;
}

/** The Webex package an AppDirect add-on stands for, and where it goes. */
export interface AddonTarget {
  code: string;
  package: string;
  level: PackageLevel;
}

/**
 * AppDirect add-on code → Webex package: ADDON_PACKAGES when it maps the code, else the code itself is the package
 * name. The level is the configured one, else the Webex package list's (attendant_console on subscribers,
 * cisco_calling_plan on the customer, …); a package of unknown level must be configured.
 */
export function packageForAddon(settings: ProvisioningSettings, code: string): AddonTarget {
  const mapped = (key: string) => (Object.hasOwn(settings.addonPackages, key) ? settings.addonPackages[key] : undefined);
  const target = mapped(code) ?? mapped(code.toUpperCase());
  const pkg = target?.package ?? code;
  const level = target?.level ?? (Object.hasOwn(ADDON_PACKAGE_LEVELS, pkg) ? ADDON_PACKAGE_LEVELS[pkg] : undefined);
  if (!level) {
    throw new ProvisioningError(
      'CONFIGURATION_ERROR',
      `Add-on ${code} stands for Webex package ${pkg}, which is not a package Webex sells as an add-on; map ${code} in ADDON_PACKAGES with its package and level`,
    );
  }
  return { code, package: pkg, level };
}
