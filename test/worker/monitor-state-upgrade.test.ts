import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { healthyStore, watchedStore } from './support.ts';

describe('a monitor deployed before config and observations were kept apart', () => {
  it('reads its single old state record on wake: same config, same epoch, no re-adoption', async () => {
    const { id, monitor } = await watchedStore();
    // Rewrite its storage as the old code kept it: one `state` record, epoch 1 learnt from the nodes.
    await runInDurableObject(monitor.stub, (_m, state) => {
      const sql = state.storage.sql;
      const read = (key: string) =>
        JSON.parse(String(sql.exec('SELECT value FROM meta WHERE key = ?', key).one().value));
      const legacy = { ...read('config'), ...read('observed'), epoch: 1 };
      sql.exec("DELETE FROM meta WHERE key IN ('config', 'observed')");
      sql.exec("INSERT INTO meta (key, value) VALUES ('state', ?)", JSON.stringify(legacy));
    });
    await evictDurableObject(monitor.stub);
    await monitor.attach();
    await healthyStore(id, 4); // the nodes now say 4: after first contact, that is not adopted
    const status = await monitor.rounds(4);
    expect(status).toMatchObject({ id, epoch: 1, primary: `${id}-a` });
    expect(status?.reasons).toContain(`node ${id}-a reports epoch 4, which mirrorwatch never issued`);
  });
});
