import { describeUnmet, isSubscriberAddonPackage, unmetDependencies } from '../../src/webex/packageRules';

/** Package names as enumerated by WholesalePackagesCustomer in webex-wholesale.json. */
export const CUSTOMER_PACKAGES = [
  'common_area_calling',
  'webex_calling',
  'webex_meetings',
  'webex_suite',
  'webex_voice',
  'cx_essentials',
  'webex_calling_standard',
  'cisco_calling_plan',
  'attendant_console',
  'cx_premium_agent',
  'cx_standard_agent',
  'cx_voice_ports',
  'cx_ai_assistant',
  'webex_ai_agent',
] as const;

/** Package names as enumerated by WholesalePackagesSubscriber in webex-wholesale.json. */
export const SUBSCRIBER_PACKAGES = [
  'webex_calling',
  'webex_meetings',
  'webex_suite',
  'webex_voice',
  'cx_essentials',
  'webex_calling_standard',
  'attendant_console',
  'cx_premium_agent',
  'cx_standard_agent',
] as const;

/** The deprecated singular `package` field only ever accepted this narrower list (spec, POST /wholesale/subscribers). */
export const SINGULAR_SUBSCRIBER_PACKAGES = [
  'webex_calling',
  'webex_meetings',
  'webex_suite',
  'webex_voice',
  'cx_essentials',
  'webex_calling_standard',
] as const;

/** The subscriber packages the wholesale API counts as a subscriber's one package; add-on packages come on top. */
export const BASE_SUBSCRIBER_PACKAGES: readonly string[] = SUBSCRIBER_PACKAGES.filter((name) => !isSubscriberAddonPackage(name));

/** Describes each package in the list whose prerequisites (any one of them) are missing. */
export function unmetPackagePrerequisites(packages: readonly string[]): string[] {
  return unmetDependencies(packages).map((unmet) => `${describeUnmet(unmet)}.`);
}
