import { success } from '../appdirect/results';
import { removeAccountUsers } from './cancel';
import { done, HandlerContext, HandlerDeps, HandlerOutcome } from './context';
import { required } from './fields';

/** SUBSCRIPTION_NOTICE: recorded and acknowledged; a CLOSED subscription loses its users. */
export async function handleNotice(deps: HandlerDeps, ctx: HandlerContext): Promise<HandlerOutcome> {
  const account = required(ctx.event.payload?.account?.accountIdentifier, 'payload.account.accountIdentifier');
  const notice = required(ctx.event.payload?.notice?.type, 'payload.notice.type');
  if (notice === 'CLOSED') return removeAccountUsers(deps, ctx, { deleteCustomer: false });
  ctx.log.info({ account, notice }, 'subscription notice recorded');
  return done(success({ accountIdentifier: account, message: `Notice ${notice} recorded` }));
}
