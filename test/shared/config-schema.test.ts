import { describe, expect, it } from 'vitest';
import { monitorConfigFor } from '#shared/fleet/monitor-config.ts';
import { type FleetConfig, type FleetConfigInput, MAX_STORES, type StoreConfig } from '#shared/schemas/config.ts';
import { type Json, parsed, problems, store } from './support/config-fixtures.ts';

/** The example of docs/PROTOCOL.md section 2, comments removed. */
const CONTRACT_EXAMPLE = {
  version: 1,
  defaults: {
    intervalSeconds: 5,
    timeoutMs: 2000,
    failover: {
      mode: 'manual',
      thresholdSeconds: 30,
      maxLagSeconds: 30,
      cooldownSeconds: 3600,
      confirmTimeoutSeconds: 900,
      promoteTimeoutSeconds: 120,
    },
  },
  stores: [
    {
      id: 'gz-tianhe',
      name: 'Guangzhou Tianhe',
      region: 'South China',
      timezone: 'Asia/Shanghai',
      public: true,
      activeEndpoint: 'http://gz-tianhe-vip.example:8008',
      arbiter: { url: 'http://gz-tianhe-arb.example:8008' },
      nodes: [
        { id: 'gz-tianhe-a', url: 'http://gz-tianhe-a.example:8008', tcp: 'gz-tianhe-a.example:5000', priority: 100 },
        { id: 'gz-tianhe-b', url: 'http://gz-tianhe-b.example:8008', priority: 50 },
      ],
      failover: { mode: 'auto' },
    },
  ],
};

const CONTRACT_DEFAULTS = {
  intervalSeconds: 5,
  timeoutMs: 2000,
  failover: {
    mode: 'manual',
    thresholdSeconds: 30,
    maxLagSeconds: 30,
    cooldownSeconds: 3600,
    confirmTimeoutSeconds: 900,
    promoteTimeoutSeconds: 120,
  },
  resources: { cpuPercent: 90, memoryPercent: 90, diskPercent: 90, sustainSeconds: 300 },
};

function fleet(stores: Json[] = [store('s0'), store('s1'), store('s2')], patch: Record<string, Json> = {}) {
  return { version: 1, stores, ...patch };
}

function nodes(count: number, prefix = 'n'): Json[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, url: `http://${prefix}${i}.example:8008` }));
}

function paths(input: unknown): string[] {
  return problems(input).map((d) => d.path);
}

/** Sets `value` at a dotted path with [n] indexes in a deep copy of `base`. */
function withValue(base: Json, path: string, value: Json | undefined): Json {
  const copy: Json = structuredClone(base);
  const keys = path.match(/[^.[\]]+/g) ?? [];
  let target: Json = copy;
  keys.forEach((key, i) => {
    const last = i === keys.length - 1;
    if (Array.isArray(target)) {
      const index = Number(key);
      if (last) {
        if (value !== undefined) target[index] = value;
      } else target = target[index] ?? null;
    } else if (target !== null && typeof target === 'object') {
      if (last) {
        if (value === undefined) delete target[key];
        else target[key] = value;
      } else {
        const next: Json = target[key] ?? {};
        target[key] = next;
        target = next;
      }
    } else {
      throw new Error(`cannot set ${path}: ${keys.slice(0, i).join('.')} is not an object`);
    }
  });
  return copy;
}

const BASE: Json = { ...fleet(), defaults: { failover: {} } };
/**
 * Contract section 6 ties the interval, timeout, threshold and lease together, whatever `selfFence`
 * says. The smallest lease, interval and timeout under the largest threshold leave room for every
 * field's own boundary, one at a time, so each field's limits are checked alone (the rule has its
 * own tests): 1 + 300 + 0.1 and 1 + 1 + 30 stay under 3600, and 1 + 1 + 0.1 under 3.
 */
const LIMITS_BASE: Json = {
  ...fleet(),
  defaults: { intervalSeconds: 1, timeoutMs: 100, failover: { thresholdSeconds: 3600, leaseSeconds: 1 } },
};

function firstStore(config: FleetConfig): StoreConfig {
  const s = config.stores[0];
  if (!s) throw new Error('no store');
  return s;
}

describe('the contract example', () => {
  it('parses, keeping every value it gives', () => {
    const config = parsed(CONTRACT_EXAMPLE);
    expect(config.defaults).toEqual(CONTRACT_DEFAULTS);
    expect(config.stores).toHaveLength(1);
    expect(firstStore(config)).toEqual({
      ...CONTRACT_EXAMPLE.stores[0],
      failover: { mode: 'auto' },
    });
  });

  it('gets the documented defaults when it leaves them out', () => {
    const { defaults: _defaults, ...withoutDefaults } = CONTRACT_EXAMPLE;
    const config = parsed(withoutDefaults);
    expect(config.defaults).toEqual(CONTRACT_DEFAULTS);
  });

  it('fills the failover policy field by field when defaults give only some fields', () => {
    const config = parsed({ ...fleet(), defaults: { intervalSeconds: 10, failover: { mode: 'auto' } } });
    expect(config.defaults).toEqual({
      ...CONTRACT_DEFAULTS,
      intervalSeconds: 10,
      failover: { ...CONTRACT_DEFAULTS.failover, mode: 'auto' },
    });
  });

  it('defaults a store to public, UTC, no region, no arbiter, no failover override, node priority 50', () => {
    const config = parsed(fleet([store('plain')]));
    const s = firstStore(config);
    expect(s.public).toBe(true);
    expect(s.timezone).toBe('UTC');
    expect(s.region).toBeUndefined();
    expect(s.arbiter).toBeUndefined();
    expect(s.failover).toBeUndefined();
    expect(s.nodes.map((n) => n.priority)).toEqual([50, 50]);
    expect(s.nodes.map((n) => n.tcp)).toEqual([undefined, undefined]);
  });

  it('keeps public: false and priority 0 (never promote)', () => {
    const config = parsed(
      fleet([
        store('private', {
          public: false,
          nodes: [
            { id: 'p-a', url: 'https://p-a.example', priority: 0 },
            { id: 'p-b', url: 'https://p-b.example', priority: 100 },
          ],
        }),
      ]),
    );
    const s = firstStore(config);
    expect(s.public).toBe(false);
    expect(s.nodes.map((n) => n.priority)).toEqual([0, 100]);
  });

  it('accepts an empty fleet', () => {
    expect(parsed({ version: 1, stores: [] }).stores).toEqual([]);
  });
});

describe('monitorConfigFor', () => {
  it('merges the contract store override (mode auto) over the defaults', () => {
    const config = parsed(CONTRACT_EXAMPLE);
    const m = monitorConfigFor(config, firstStore(config));
    expect(m.intervalSeconds).toBe(5);
    expect(m.timeoutMs).toBe(2000);
    expect(m.failover).toEqual({ ...CONTRACT_DEFAULTS.failover, mode: 'auto', leaseSeconds: 15, selfFence: true });
    expect(m.store.id).toBe('gz-tianhe');
  });

  it('derives the default lease from the threshold in force for the store, not the default threshold', () => {
    const config = parsed(fleet([store('short', { failover: { thresholdSeconds: 21 } }), store('plain')]));
    const [short, plain] = config.stores;
    if (!short || !plain) throw new Error('expected two stores');
    expect(monitorConfigFor(config, short).failover.leaseSeconds).toBe(10);
    expect(monitorConfigFor(config, plain).failover.leaseSeconds).toBe(15);
  });

  it('overrides field by field, leaving other stores on the defaults', () => {
    const config = parsed(
      fleet([store('tuned', { failover: { maxLagSeconds: 5, cooldownSeconds: 0 } }), store('plain')], {
        defaults: { intervalSeconds: 2, timeoutMs: 500, failover: { mode: 'off', thresholdSeconds: 60 } },
      }),
    );
    const [tuned, plain] = config.stores;
    if (!tuned || !plain) throw new Error('expected two stores');
    expect(monitorConfigFor(config, tuned)).toEqual({
      store: tuned,
      intervalSeconds: 2,
      timeoutMs: 500,
      failover: {
        mode: 'off',
        thresholdSeconds: 60,
        maxLagSeconds: 5,
        cooldownSeconds: 0,
        confirmTimeoutSeconds: 900,
        promoteTimeoutSeconds: 120,
        leaseSeconds: 30,
        selfFence: true,
      },
      resources: CONTRACT_DEFAULTS.resources,
      alerts: { channels: [], reminderMinutes: 60, flapSeconds: 60 },
      maintenance: [],
    });
    expect(monitorConfigFor(config, plain).failover).toEqual({
      ...CONTRACT_DEFAULTS.failover,
      mode: 'off',
      thresholdSeconds: 60,
      leaseSeconds: 30,
      selfFence: true,
    });
  });

  it('an override does not fill its missing fields with defaults of its own', () => {
    const config = parsed(
      fleet([store('s', { failover: { mode: 'auto' } })], { defaults: { failover: { thresholdSeconds: 90 } } }),
    );
    const s = firstStore(config);
    expect(s.failover).toEqual({ mode: 'auto' });
    expect(monitorConfigFor(config, s).failover.thresholdSeconds).toBe(90);
  });
});

describe('limits: each rejected with its JSON path', () => {
  it.each([
    ['defaults.intervalSeconds', 0],
    ['defaults.intervalSeconds', 301],
    ['defaults.intervalSeconds', 2.5],
    ['defaults.intervalSeconds', '5'],
    ['defaults.timeoutMs', 99],
    ['defaults.timeoutMs', 30001],
    ['defaults.failover.mode', 'sometimes'],
    ['defaults.failover.thresholdSeconds', 2],
    ['defaults.failover.thresholdSeconds', 3601],
    ['defaults.failover.maxLagSeconds', -1],
    ['defaults.failover.maxLagSeconds', 86401],
    ['defaults.failover.cooldownSeconds', -1],
    ['defaults.failover.cooldownSeconds', 604801],
    ['defaults.failover.confirmTimeoutSeconds', 9],
    ['defaults.failover.confirmTimeoutSeconds', 86401],
    ['defaults.failover.promoteTimeoutSeconds', 4],
    ['defaults.failover.promoteTimeoutSeconds', 3601],
    ['stores[0].failover.thresholdSeconds', 2],
    ['stores[0].failover.mode', 'AUTO'],
    ['stores[1].failover.maxLagSeconds', 86401],
    ['stores[0].id', 'Gz-Tianhe'],
    ['stores[0].id', '-gz'],
    ['stores[0].id', 'gz_tianhe'],
    ['stores[0].id', ''],
    ['stores[0].id', `a${'b'.repeat(64)}`],
    ['stores[0].name', ''],
    ['stores[0].name', '   '],
    ['stores[0].name', 'x'.repeat(201)],
    ['stores[0].region', ''],
    ['stores[0].timezone', 'Mars/Olympus_Mons'],
    ['stores[0].public', 'yes'],
    ['stores[0].activeEndpoint', 'ftp://gz.example/'],
    ['stores[0].activeEndpoint', 'gz.example:8008'],
    ['stores[0].activeEndpoint', 'http://gz.example:8008/?token=x'],
    ['stores[0].activeEndpoint', 'http://gz.example:8008/#x'],
    ['stores[0].arbiter.url', 'ws://arb.example'],
    ['stores[2].nodes[0].url', 'ftp://node.example'],
    ['stores[2].nodes[0].url', 'javascript:alert(1)'],
    ['stores[0].nodes[1].id', 'Node_B'],
    ['stores[0].nodes[0].tcp', 'db.example'],
    ['stores[0].nodes[0].tcp', 'db.example:0'],
    ['stores[0].nodes[0].tcp', 'db.example:70000'],
    ['stores[0].nodes[0].tcp', 'db.example:port'],
    ['stores[0].nodes[0].tcp', 'tcp://db.example:5000'],
    ['stores[0].nodes[0].priority', 101],
    ['stores[0].nodes[0].priority', -1],
    ['stores[0].nodes[0].priority', 1.5],
    ['version', 2],
    ['version', '1'],
  ] as const)('%s = %j', (path, value) => {
    expect(problems(withValue(LIMITS_BASE, path, value))).toEqual([{ path, message: expect.any(String) }]);
  });

  it.each([
    ['defaults.intervalSeconds', 1],
    ['defaults.intervalSeconds', 300],
    ['defaults.timeoutMs', 100],
    ['defaults.timeoutMs', 30000],
    ['defaults.failover.thresholdSeconds', 3],
    ['defaults.failover.thresholdSeconds', 3600],
    ['defaults.failover.maxLagSeconds', 0],
    ['defaults.failover.maxLagSeconds', 0.5],
    ['defaults.failover.maxLagSeconds', 86400],
    ['defaults.failover.cooldownSeconds', 0],
    ['defaults.failover.cooldownSeconds', 604800],
    ['stores[0].id', '0'],
    ['stores[0].id', `a${'b'.repeat(63)}`],
    ['stores[0].timezone', 'Asia/Shanghai'],
    ['stores[0].timezone', 'America/Argentina/Buenos_Aires'],
    ['stores[0].activeEndpoint', 'https://gz.example'],
    ['stores[0].nodes[0].tcp', '10.0.0.5:5000'],
    ['stores[0].nodes[0].tcp', '[fd00::5]:5432'],
    ['stores[0].nodes[0].tcp', 'db.example:65535'],
    ['stores[0].nodes[0].priority', 0],
    ['stores[0].nodes[0].priority', 100],
  ] as const)('accepts the boundary %s = %j', (path, value) => {
    parsed(withValue(LIMITS_BASE, path, value));
  });

  it('names the limit in the message', () => {
    expect(problems(withValue(BASE, 'stores[0].activeEndpoint', 'ftp://x.example'))).toEqual([
      { path: 'stores[0].activeEndpoint', message: 'must be an http:// or https:// URL' },
    ]);
    expect(problems(withValue(BASE, 'stores[0].id', 'Bad'))).toEqual([
      { path: 'stores[0].id', message: 'must match ^[a-z0-9][a-z0-9-]{0,63}$' },
    ]);
    expect(problems(withValue(BASE, 'stores[0].timezone', 'Nowhere'))).toEqual([
      { path: 'stores[0].timezone', message: 'must be an IANA time zone' },
    ]);
    expect(problems(withValue(BASE, 'stores[0].nodes[0].tcp', 'db:99999'))).toEqual([
      { path: 'stores[0].nodes[0].tcp', message: 'port must be 1..65535' },
    ]);
    expect(problems(withValue(BASE, 'stores[0].nodes[0].tcp', 'db'))).toEqual([
      { path: 'stores[0].nodes[0].tcp', message: 'must be host:port' },
    ]);
    expect(problems(withValue(BASE, 'stores[0].activeEndpoint', 'http://x.example/?a=1'))).toEqual([
      { path: 'stores[0].activeEndpoint', message: 'must not carry a query or fragment' },
    ]);
  });

  it.each(['id', 'name', 'activeEndpoint', 'nodes'])('a store without %s is rejected at that field', (field) => {
    expect(paths(withValue(BASE, `stores[1].${field}`, undefined))).toEqual([`stores[1].${field}`]);
  });

  it.each(['id', 'url'])('a node without %s is rejected at that field', (field) => {
    expect(paths(withValue(BASE, `stores[0].nodes[1].${field}`, undefined))).toEqual([`stores[0].nodes[1].${field}`]);
  });

  it('a config without stores or version is rejected at those fields', () => {
    expect(paths({})).toEqual(['version', 'stores']);
  });

  it('a body that is not an object is rejected at the root', () => {
    expect(paths([])).toEqual(['(root)']);
    expect(paths(null)).toEqual(['(root)']);
  });
});

describe('node counts', () => {
  it.each([2, 9])('accepts %i nodes', (count) => {
    expect(firstStore(parsed(fleet([store('s', { nodes: nodes(count) })]))).nodes).toHaveLength(count);
  });

  it('rejects 1 node', () => {
    expect(problems(fleet([store('s', { nodes: nodes(1) })]))).toEqual([
      { path: 'stores[0].nodes', message: 'a store needs at least 2 nodes' },
    ]);
  });

  it('rejects 0 nodes', () => {
    expect(paths(fleet([store('s', { nodes: [] })]))).toEqual(['stores[0].nodes']);
  });

  it('rejects 10 nodes', () => {
    expect(problems(fleet([store('s', { nodes: nodes(10) })]))).toEqual([
      { path: 'stores[0].nodes', message: 'at most 9 nodes' },
    ]);
  });

  it(`rejects more than ${MAX_STORES} stores`, () => {
    const many = Array.from({ length: MAX_STORES + 1 }, (_, i) => store(`s${i}`));
    expect(paths(fleet(many))).toEqual(['stores']);
  });
});

describe('unique ids', () => {
  it('rejects a duplicate store id at the second occurrence', () => {
    expect(problems(fleet([store('gz'), store('sz'), store('gz')]))).toEqual([
      { path: 'stores[2].id', message: 'duplicate store id "gz"' },
    ]);
  });

  it('still finds duplicates when other fields are wrong in ways that stop other checks', () => {
    expect(
      paths(
        fleet([store('gz', { name: 5 }), store('gz', { public: 'yes' }), null], {
          defaults: { failover: { mode: 'sometimes' } },
        }),
      ).sort(),
    ).toEqual(['defaults.failover.mode', 'stores[0].name', 'stores[1].id', 'stores[1].public', 'stores[2]']);
  });

  it('does not trip over a stores or nodes field that is not a list', () => {
    expect(paths(fleet([store('s', { nodes: 'a,b' })]))).toEqual(['stores[0].nodes']);
    expect(paths({ version: 1, stores: { gz: {} } })).toEqual(['stores']);
    expect(paths(fleet([store('s', { nodes: [null, { id: 5 }, { url: 'http://x.example' }] })])).sort()).toEqual([
      'stores[0].nodes[0]',
      'stores[0].nodes[1].id',
      'stores[0].nodes[1].url',
      'stores[0].nodes[2].id',
    ]);
  });

  it('reports every repeat of a store id', () => {
    expect(paths(fleet([store('gz'), store('gz'), store('gz')]))).toEqual(['stores[1].id', 'stores[2].id']);
  });

  it('rejects a duplicate node id within a store', () => {
    const dup = [
      { id: 'a', url: 'http://a.example' },
      { id: 'b', url: 'http://b.example' },
      { id: 'a', url: 'http://a2.example' },
    ];
    expect(problems(fleet([store('s0'), store('s1', { nodes: dup })]))).toEqual([
      { path: 'stores[1].nodes[2].id', message: 'duplicate node id "a"' },
    ]);
  });

  it('allows the same node id in different stores', () => {
    const same = [
      { id: 'a', url: 'http://a.example' },
      { id: 'b', url: 'http://b.example' },
    ];
    parsed(fleet([store('s0', { nodes: same }), store('s1', { nodes: same })]));
  });
});

describe('unknown fields (strict)', () => {
  it.each([
    ['', '(root)'],
    ['defaults', 'defaults'],
    ['defaults.failover', 'defaults.failover'],
    ['stores[1]', 'stores[1]'],
    ['stores[1].nodes[0]', 'stores[1].nodes[0]'],
    ['stores[0].arbiter', 'stores[0].arbiter'],
    ['stores[0].failover', 'stores[0].failover'],
  ])('an extra key in %j is rejected at %s', (where, path) => {
    const base = withValue(withValue(BASE, 'stores[0].arbiter', { url: 'http://arb.example' }), 'stores[0].failover', {
      mode: 'auto',
    });
    const input = withValue(base, where === '' ? 'extra' : `${where}.extra`, 1);
    expect(problems(input)).toEqual([{ path, message: 'Unrecognized key: "extra"' }]);
  });

  it('a misspelt field is rejected, not ignored', () => {
    expect(paths(withValue(BASE, 'defaults.failover.treshholdSeconds', 60))).toEqual(['defaults.failover']);
  });
});

describe('several problems at once', () => {
  it('reports every problem with its path, in one answer', () => {
    const input: FleetConfigInput | Json = {
      version: 1,
      defaults: { intervalSeconds: 0, failover: { mode: 'sometimes' } },
      stores: [
        store('gz', { timezone: 'Mars/Olympus_Mons' }),
        store('sz', {
          nodes: [
            { id: 'sz-a', url: 'ftp://sz-a.example', tcp: 'sz-a:99999' },
            { id: 'sz-a', url: 'http://sz-b.example' },
          ],
        }),
        store('gz', { activeEndpoint: 'ws://gz2.example' }),
      ],
    };
    expect(paths(input).sort()).toEqual(
      [
        'defaults.intervalSeconds',
        'defaults.failover.mode',
        'stores[0].timezone',
        'stores[1].nodes[0].url',
        'stores[1].nodes[0].tcp',
        'stores[1].nodes[1].id',
        'stores[2].activeEndpoint',
        'stores[2].id',
      ].sort(),
    );
  });
});

describe('the lease rule (contract section 6)', () => {
  const failoverAt = (where: 'defaults' | 'store', failover: Json, defaults: { [key: string]: Json } = {}) =>
    where === 'defaults'
      ? fleet([store('s0')], { defaults: { ...defaults, failover } })
      : fleet([store('s0'), store('s1'), store('s2', { failover })], { defaults });

  it('rejects a lease that, with an interval and a timeout, reaches the threshold, at the path it was written', () => {
    expect(problems(failoverAt('defaults', { thresholdSeconds: 30, leaseSeconds: 23 }))).toEqual([
      {
        path: 'defaults.failover.leaseSeconds',
        message: expect.stringMatching(/= 30 must be below thresholdSeconds \(30\)/),
      },
    ]);
    expect(problems(failoverAt('store', { thresholdSeconds: 10 }))).toEqual([
      { path: 'stores[2].failover.leaseSeconds', message: expect.stringMatching(/leaseSeconds \(5, the default\)/) },
    ]);
  });

  it('accepts the same settings just under the threshold', () => {
    parsed(failoverAt('defaults', { thresholdSeconds: 30, leaseSeconds: 22 }));
    parsed(failoverAt('store', { thresholdSeconds: 10, leaseSeconds: 2 }));
    parsed(failoverAt('store', { thresholdSeconds: 10, leaseSeconds: 2, selfFence: false }));
    parsed(failoverAt('defaults', { thresholdSeconds: 8 }, { intervalSeconds: 1, timeoutMs: 1000 }));
  });

  it('holds with self-fencing off too: the contract states the rule without condition', () => {
    expect(problems(failoverAt('store', { thresholdSeconds: 10, selfFence: false }))).toEqual([
      { path: 'stores[2].failover.leaseSeconds', message: expect.stringMatching(/leaseSeconds \(5, the default\)/) },
    ]);
    expect(problems(failoverAt('defaults', { thresholdSeconds: 30, leaseSeconds: 23, selfFence: false }))).toEqual([
      { path: 'defaults.failover.leaseSeconds', message: expect.stringMatching(/must be below thresholdSeconds/) },
    ]);
  });

  it('reports a problem of the defaults once, at the defaults, not again at a store that only switches self-fencing', () => {
    const config = fleet([store('s0', { failover: { selfFence: true } })], {
      defaults: { failover: { thresholdSeconds: 10, selfFence: false } },
    });
    expect(problems(config).map((p) => p.path)).toEqual(['defaults.failover.leaseSeconds']);
  });

  it('names only the field limit when the lease itself is out of range', () => {
    expect(problems(failoverAt('store', { leaseSeconds: 0 })).map((p) => p.path)).toEqual([
      'stores[2].failover.leaseSeconds',
    ]);
    expect(problems(failoverAt('store', { selfFence: 'no' })).map((p) => p.path)).toEqual([
      'stores[2].failover.selfFence',
    ]);
  });
});
