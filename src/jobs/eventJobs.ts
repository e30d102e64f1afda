/**
 * The two kinds of job an AppDirect event makes: working it (fetch, provision, record the result), and, when
 * AppDirect was told to wait for it, delivering the result. One of each per event token.
 */
export const EVENT_WORK = 'event.work';
export const RESULT_DELIVERY = 'event.deliver';

export interface EventJobPayload {
  token: string;
}

export const workJobId = (token: string) => `event:${token}`;
export const deliveryJobId = (token: string) => `deliver:${token}`;

export const workJob = (token: string, runAt: number) => ({ id: workJobId(token), kind: EVENT_WORK, payload: { token } satisfies EventJobPayload, runAt });
/**
 * A result is due since its event arrived (never later than now: another instance's clock may run ahead). The queue
 * hands out the longest-due job first, and a result due only from when it was ready would wait behind every event
 * notified meanwhile: in a backlog, until the last of them was worked.
 */
export const deliveryJob = (token: string, receivedAt: number, now: number) => ({
  id: deliveryJobId(token),
  kind: RESULT_DELIVERY,
  payload: { token } satisfies EventJobPayload,
  runAt: Math.min(receivedAt, now),
});
