import type { ParsedEvent } from '../appdirect/eventSchema';
import { failure, success } from '../appdirect/results';
import { handleAssignment, handleUnassignment } from './assignment';
import { handleCancel } from './cancel';
import { handleChange } from './change';
import { EventAttemptContext, done, HandlerDeps, HandlerOutcome } from './context';
import { handleNotice } from './notice';
import { handleOrder } from './order';
import { handleUserUpdated } from './userUpdate';

/** Runs the handler for the event's type; ping tests (STATELESS) change nothing. */
export function provision(deps: HandlerDeps, parsed: ParsedEvent, ctx: EventAttemptContext): Promise<HandlerOutcome> {
  if (parsed.kind === 'ping') {
    const { event } = parsed;
    const accountIdentifier = event.payload?.company?.uuid ?? event.payload?.account?.accountIdentifier ?? 'stateless-test';
    return Promise.resolve(done(success({ accountIdentifier, message: `Ping test for ${event.type} acknowledged; nothing changed` })));
  }
  if (parsed.kind === 'unsupported') return Promise.resolve(done(failure('CONFIGURATION_ERROR', `Event type ${parsed.event.type} is not supported by this connector`)));
  const { event } = parsed;
  switch (event.type) {
    case 'SUBSCRIPTION_ORDER':
      return handleOrder(deps, { ...ctx, event });
    case 'SUBSCRIPTION_CHANGE':
      return handleChange(deps, { ...ctx, event });
    case 'SUBSCRIPTION_CANCEL':
      return handleCancel(deps, { ...ctx, event });
    case 'SUBSCRIPTION_NOTICE':
      return handleNotice(deps, { ...ctx, event });
    case 'USER_ASSIGNMENT':
      return handleAssignment(deps, { ...ctx, event });
    case 'USER_UNASSIGNMENT':
      return handleUnassignment(deps, { ...ctx, event });
    case 'USER_UPDATED':
      return handleUserUpdated(deps, { ...ctx, event });
  }
}
