import { describeOnEachStore, freshStoreEachTest } from './storeKinds';

describeOnEachStore('operator page sessions', (kind) => {
  const { store, anotherHandle, reopen } = freshStoreEachTest(kind);

  test('a session is active until it expires', async () => {
    await store().adminSessions.open('k1', 2000, 1000);
    expect(await store().adminSessions.isActive('k1', 1999)).toBe(true);
    expect(await store().adminSessions.isActive('k1', 2000)).toBe(false);
    expect(await store().adminSessions.isActive('unknown', 1500)).toBe(false);
  });

  test('signing out ends the session for every instance, and for good', async () => {
    await store().adminSessions.open('k2', 10_000, 1000);
    const other = await anotherHandle();
    expect(await other.adminSessions.isActive('k2', 1100)).toBe(true);
    expect(await store().adminSessions.revoke('k2', 1200)).toBe(true);
    expect(await other.adminSessions.isActive('k2', 1300)).toBe(false);
    expect(await other.adminSessions.revoke('k2', 1300)).toBe(false);
    expect(await (await reopen()).adminSessions.isActive('k2', 1400)).toBe(false);
  });

  test('expired sessions are removed when a new one opens, and their keys can be used again', async () => {
    await store().adminSessions.open('old', 2000, 1000);
    await store().adminSessions.open('new', 9000, 3000);
    await store().adminSessions.open('old', 9000, 3000);
    expect(await store().adminSessions.isActive('old', 3000)).toBe(true);
  });
});
