import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../engine/src/runtime/group-commit.js';
import { SqliteStore } from '../../engine/src/storage/sqlite/sqlite-store.js';

describe('group commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-gc-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('commits the operations of one turn together; a failing one is undone alone and rejects alone', async () => {
    // given a store and a group commit counting its commits and rollbacks
    const store = new SqliteStore(join(dir, 'g.db'));
    let commits = 0;
    let rollbacks = 0;
    const gc = new GroupCommit(
      store,
      () => {
        commits++;
        return () => {};
      },
      () => {
        rollbacks++;
      },
    );
    // when three operations are submitted in one turn and the middle one throws after writing
    const ok1 = gc.submit(() => store.nextId('a'));
    const bad = gc.submit(() => {
      store.nextId('b');
      throw new Error('boom');
    });
    const ok2 = gc.submit(() => store.nextId('c'));
    // then the two good ones resolve in one commit, the bad one rejects, and its write is gone
    await expect(ok1).resolves.toBe(1);
    await expect(bad).rejects.toThrow('boom');
    await expect(ok2).resolves.toBe(1);
    expect(commits).toBe(1);
    expect(rollbacks).toBe(1);
    expect(await gc.submit(() => store.nextId('b'))).toBe(1);
    expect(await gc.submit(() => store.nextId('a'))).toBe(2);
    store.close();
  });
});
