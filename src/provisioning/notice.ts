import type { NoticeEvent } from '../appdirect/eventSchema';
import { success } from '../appdirect/results';
import { removeAccountUsers } from './cancel';
import { done, HandlerContext, HandlerDeps, HandlerOutcome } from './context';

/** SUBSCRIPTION_NOTICE: recorded and acknowledged; a CLOSED subscription loses its users. */
export async function handleNotice(deps: HandlerDeps, ctx: HandlerContext<NoticeEvent>): Promise<HandlerOutcome> {
  const account = ctx.event.payload.account.accountIdentifier;
  const notice = ctx.event.payload.notice.type;
  if (notice === 'CLOSED') return removeAccountUsers(deps, ctx, { deleteCustomer: false });
  ctx.log.info({ account, notice }, 'subscription notice recorded');
  return done(success({ accountIdentifier: account, message: `Notice ${notice} recorded` }));
}
