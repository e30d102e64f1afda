import { failure, success } from '../appdirect/results';
import { handleAssignment, handleUnassignment } from './assignment';
import { handleCancel } from './cancel';
import { handleChange } from './change';
import { done, HandlerContext, HandlerDeps, HandlerOutcome } from './context';
import { handleNotice } from './notice';
import { handleOrder } from './order';

type Handler = (deps: HandlerDeps, ctx: HandlerContext) => Promise<HandlerOutcome>;

const HANDLERS: Record<string, Handler> = {
  SUBSCRIPTION_ORDER: handleOrder,
  SUBSCRIPTION_CHANGE: handleChange,
  SUBSCRIPTION_CANCEL: handleCancel,
  SUBSCRIPTION_NOTICE: handleNotice,
  USER_ASSIGNMENT: handleAssignment,
  USER_UNASSIGNMENT: handleUnassignment,
};

/** Runs the handler for the event's type; ping tests (STATELESS) change nothing. */
export function provision(deps: HandlerDeps, ctx: HandlerContext): Promise<HandlerOutcome> {
  const { event } = ctx;
  if (event.flag === 'STATELESS') {
    const accountIdentifier = event.payload?.company?.uuid ?? event.payload?.account?.accountIdentifier ?? 'stateless-test';
    return Promise.resolve(done(success({ accountIdentifier, message: `Ping test for ${event.type} acknowledged; nothing changed` })));
  }
  const handler = HANDLERS[event.type];
  if (!handler) return Promise.resolve(done(failure('CONFIGURATION_ERROR', `Event type ${event.type} is not supported by this connector`)));
  return handler(deps, ctx);
}
