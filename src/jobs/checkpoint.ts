import type { Checkpoint } from '../provisioning/context';
import type { JobContext } from './runner';

/** A job's checkpoint as handlers use it: each fact is saved (fenced by the claim) before the step it guards. */
export function jobCheckpoint(ctx: JobContext<unknown>): Checkpoint {
  const state = { ...ctx.job.checkpoint };
  return {
    get: <T>(key: string) => state[key] as T | undefined,
    // The checkpoint guards the next Webex call: without it recorded, that call must not be made.
    set: async (key, value) => {
      state[key] = value;
      await ctx.saveCheckpoint(state);
    },
  };
}
