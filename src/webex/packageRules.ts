/**
 * Facts about Webex Wholesale packages that the connector (and the simulator standing in for Webex) rely on.
 * The dependencies are the ones the descriptions of the customer and subscriber operations in webex-wholesale.json
 * state ("`attendant_console` is dependent on: …"); a contract test reads them there and compares.
 */

/** Each package that needs another one beside it in the same list: any one of these. */
export const PACKAGE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  cisco_calling_plan: ['common_area_calling', 'webex_calling', 'webex_suite', 'webex_voice', 'cx_essentials', 'webex_calling_standard'],
  attendant_console: ['webex_calling', 'webex_suite', 'cx_essentials'],
};

export interface UnmetDependency {
  package: string;
  needsOneOf: readonly string[];
}

/** The packages of a list whose dependency is not in the list. */
export function unmetDependencies(packages: readonly string[]): UnmetDependency[] {
  return packages.flatMap((name) => {
    const needsOneOf = PACKAGE_DEPENDENCIES[name];
    return needsOneOf && !needsOneOf.some((p) => packages.includes(p)) ? [{ package: name, needsOneOf }] : [];
  });
}

export const describeUnmet = (unmet: UnmetDependency) => `${unmet.package} is dependent on one of: ${unmet.needsOneOf.join(', ')}`;

/** Subscriber packages that put the user on Webex Calling, so they need a location and an extension or number. */
const CALLING_PACKAGES: ReadonlySet<string> = new Set(['webex_calling', 'webex_suite', 'webex_voice', 'webex_calling_standard', 'cx_essentials']);

export const isCallingPackage = (pkg: string | undefined): boolean => !!pkg && CALLING_PACKAGES.has(pkg);

/**
 * Where each package that can be sold as an add-on lives: on a subscriber (who also needs a base package such as
 * webex_calling) or on the customer. From the package lists of webex-wholesale.json: WholesalePackagesSubscriber
 * holds attendant_console and the contact-center agent packages; the others exist for customers only.
 */
export const ADDON_PACKAGE_LEVELS: Readonly<Record<string, 'subscriber' | 'customer'>> = {
  attendant_console: 'subscriber',
  cx_premium_agent: 'subscriber',
  cx_standard_agent: 'subscriber',
  cisco_calling_plan: 'customer',
  common_area_calling: 'customer',
  cx_voice_ports: 'customer',
  cx_ai_assistant: 'customer',
  webex_ai_agent: 'customer',
};

/** A subscriber's one base package; add-on packages (ADDON_PACKAGE_LEVELS 'subscriber') come on top of it. */
export const isSubscriberAddonPackage = (pkg: string): boolean => ADDON_PACKAGE_LEVELS[pkg] === 'subscriber';
