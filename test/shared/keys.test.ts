import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, deriveKeys, signingKey } from '#shared/keys.ts';

const nodeKey = (master: string, store: string, principal: string) =>
  createHmac('sha256', master).update(`mirrorwatch-key/v2\n${store}\n${principal}`).digest('hex');

describe('per-principal keys (contract v2 section 4)', () => {
  it('derives the contract formula, as node:crypto computes it', async () => {
    expect(await deriveKey('m-secret', 'gz-tianhe', 'gz-tianhe-b')).toBe(
      nodeKey('m-secret', 'gz-tianhe', 'gz-tianhe-b'),
    );
    expect(await deriveKey('m-secret', 'gz-tianhe', 'arbiter')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives every store, principal and master a different key', async () => {
    const keys = new Set([
      await deriveKey('m', 's1', 'n1'),
      await deriveKey('m', 's2', 'n1'),
      await deriveKey('m', 's1', 'n2'),
      await deriveKey('m2', 's1', 'n1'),
      await deriveKey('m', 's1\nn1', ''),
    ]);
    expect(keys.size).toBe(5);
  });

  it('signs with the first value of a rotated master and verifies with any', async () => {
    const all = await deriveKeys(' new , old ,', 's', 'hook');
    expect(all).toEqual([nodeKey('new', 's', 'hook'), nodeKey('old', 's', 'hook')]);
    expect(await signingKey('new,old', 's', 'hook')).toBe(all[0]);
    expect(await signingKey('', 's', 'hook')).toBeNull();
    expect(await deriveKeys(undefined, 's', 'hook')).toEqual([]);
  });
});
