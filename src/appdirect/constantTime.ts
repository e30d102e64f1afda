import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets without leaking, through timing, where they differ or how long the expected one is:
 * both sides are hashed to equal-length digests first, as timingSafeEqual requires equal lengths.
 */
export function constantTimeEqual(received: string, expected: string): boolean {
  return timingSafeEqual(digest(received), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
