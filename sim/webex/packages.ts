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

/** Packages that give a subscriber a phone line, hence need an extension or number and a location (docs/webex.md). */
const CALLING_PACKAGES: ReadonlySet<string> = new Set([
  'webex_calling',
  'webex_suite',
  'webex_voice',
  'webex_calling_standard',
  'cx_essentials',
]);

export function isCallingPackage(name: string): boolean {
  return CALLING_PACKAGES.has(name);
}

/** Customer package dependencies stated in the descriptions of the customer operations in the spec. */
const CUSTOMER_PACKAGE_PREREQUISITES: Readonly<Record<string, readonly string[]>> = {
  cisco_calling_plan: [
    'common_area_calling',
    'webex_calling',
    'webex_suite',
    'webex_voice',
    'cx_essentials',
    'webex_calling_standard',
  ],
  attendant_console: ['webex_calling', 'webex_suite', 'cx_essentials'],
};

/** Describes each package in the list whose prerequisites (any one of them) are missing. */
export function unmetPackagePrerequisites(packages: readonly string[]): string[] {
  return packages.flatMap((name) => {
    const needsOneOf = CUSTOMER_PACKAGE_PREREQUISITES[name];
    if (!needsOneOf || needsOneOf.some((p) => packages.includes(p))) return [];
    return [`${name} is dependent on one of: ${needsOneOf.join(', ')}.`];
  });
}
