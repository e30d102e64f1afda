import { describeUnmet, unmetDependencies } from '../webex/packageRules';
import { webexErrorDescriptions } from '../webex/schemas';
import type { AttemptContext, HandlerDeps } from './context';
import { refusal, STILL_WORKING } from './customer';
import { ProvisioningError } from './errors';

export const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Adds and takes packages off a customer. Webex takes the customer's complete package list, so the list is read
 * fresh, changed and written back; Webex then updates the customer in the background, and this returns 'wait'
 * until it is done. Repeated, it finds the list already right: nothing is written twice.
 */
export async function changeCustomerPackages(deps: HandlerDeps, ctx: AttemptContext, customerId: string, change: { add?: string[]; drop?: string[] }): Promise<'done' | 'wait'> {
  const customer = await ctx.reads.customer(customerId);
  if (STILL_WORKING.has(customer.status)) return 'wait';
  if (customer.status === 'error') {
    throw new ProvisioningError('UNKNOWN_ERROR', `Webex customer ${customerId} is in error: ${webexErrorDescriptions(customer.errors) ?? 'no reason given'}`);
  }
  const current = customer.packages ?? [];
  const drop = change.drop ?? [];
  const next = [...current.filter((p) => !drop.includes(p)), ...(change.add ?? []).filter((p) => !current.includes(p))];
  if (sameSet(current, next)) return 'done';
  const unmet = unmetDependencies(next);
  if (unmet.length) {
    throw new ProvisioningError('INVALID_OPERATION', `Webex customer ${customerId} cannot have packages ${next.join(', ')}: ${unmet.map(describeUnmet).join('; ')}`);
  }
  try {
    await deps.webex.wholesale.updateCustomer(customerId, { packages: next });
    ctx.reads.customerChanged(customerId);
  } catch (err) {
    throw refusal(err, `Webex refused packages ${next.join(', ')} for customer ${customerId}`);
  }
  await ctx.note(`Webex: customer ${customerId} packages ${current.join(', ')} → ${next.join(', ')}`);
  return 'wait';
}
