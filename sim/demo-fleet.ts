/**
 * Generates a believable fleet of department stores across China: the simulator's store specs and
 * the matching mirrorwatch fleet config (docs/PROTOCOL.md section 2), for demos (8 stores) and load tests
 * (1,000). Deterministic for a given seed. One store is in `manual` mode, the rest `auto`; a few have
 * a DR copy that is never promoted (priority 0) or no arbiter, as real fleets do.
 */
import type { FleetConfigInput } from '#shared/schemas/config.ts';
import type { NodeSpec, StoreSpec } from './model.ts';
import { round, unit } from './noise.ts';

interface City {
  code: string;
  name: string;
  region: string;
  districts: readonly string[];
}

/** The demo's first eight stores, in this order: one per well-known shopping district. */
const FLAGSHIPS: ReadonlyArray<{ city: string; district: string }> = [
  { city: 'gz', district: 'Tianhe' },
  { city: 'sz', district: 'Futian' },
  { city: 'sh', district: 'Xujiahui' },
  { city: 'hz', district: 'Wulin' },
  { city: 'bj', district: 'Wangfujing' },
  { city: 'cd', district: 'Chunxi Road' },
  { city: 'cq', district: 'Jiefangbei' },
  { city: 'km', district: 'Nanping' },
];

const CITIES: readonly City[] = [
  { code: 'gz', name: 'Guangzhou', region: 'South China', districts: ['Tianhe', 'Beijing Road', 'Haizhu', 'Panyu'] },
  { code: 'sz', name: 'Shenzhen', region: 'South China', districts: ['Futian', 'Luohu', 'Nanshan', 'Bao’an'] },
  { code: 'fs', name: 'Foshan', region: 'South China', districts: ['Zumiao', 'Shunde'] },
  { code: 'dg', name: 'Dongguan', region: 'South China', districts: ['Nancheng', 'Dongcheng'] },
  {
    code: 'sh',
    name: 'Shanghai',
    region: 'East China',
    districts: ['Xujiahui', 'Nanjing Road', 'Lujiazui', 'Wujiaochang'],
  },
  { code: 'hz', name: 'Hangzhou', region: 'East China', districts: ['Wulin', 'Hubin', 'Binjiang'] },
  { code: 'nj', name: 'Nanjing', region: 'East China', districts: ['Xinjiekou', 'Hunan Road'] },
  { code: 'su', name: 'Suzhou', region: 'East China', districts: ['Guanqian', 'Jinji Lake'] },
  { code: 'nb', name: 'Ningbo', region: 'East China', districts: ['Tianyi Square', 'Yinzhou'] },
  {
    code: 'bj',
    name: 'Beijing',
    region: 'North China',
    districts: ['Wangfujing', 'Xidan', 'Sanlitun', 'Zhongguancun'],
  },
  { code: 'tj', name: 'Tianjin', region: 'North China', districts: ['Binjiang Road', 'Heping'] },
  { code: 'sjz', name: 'Shijiazhuang', region: 'North China', districts: ['Beiguo', 'Zhongshan Road'] },
  { code: 'ty', name: 'Taiyuan', region: 'North China', districts: ['Liuxiang', 'Qinxian Street'] },
  { code: 'cd', name: 'Chengdu', region: 'Southwest', districts: ['Chunxi Road', 'Taikoo Li', 'Tianfu Square'] },
  { code: 'cq', name: 'Chongqing', region: 'Southwest', districts: ['Jiefangbei', 'Guanyinqiao', 'Yangjiaping'] },
  { code: 'km', name: 'Kunming', region: 'Southwest', districts: ['Nanping', 'Shuncheng'] },
  { code: 'gy', name: 'Guiyang', region: 'Southwest', districts: ['Zhonghua Road', 'Huaguoyuan'] },
];

interface Site {
  city: City;
  district: string;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function* sites(): Generator<Site> {
  const byCode = new Map(CITIES.map((c) => [c.code, c]));
  const used = new Set<string>();
  for (const f of FLAGSHIPS) {
    const city = byCode.get(f.city);
    if (!city) throw new Error(`flagship city "${f.city}" is missing from CITIES`);
    used.add(`${f.city}:${f.district}`);
    yield { city, district: f.district };
  }
  const width = Math.max(...CITIES.map((c) => c.districts.length));
  for (let i = 0; i < width; i++) {
    for (const city of CITIES) {
      const district = city.districts[i];
      if (district !== undefined && !used.has(`${city.code}:${district}`)) yield { city, district };
    }
  }
}

/** Index of the store in `manual` mode: the Beijing flagship when the fleet has it. */
function manualIndex(stores: number): number {
  return stores < 2 ? -1 : Math.min(4, stores - 1);
}

export interface DemoFleetOptions {
  stores?: number;
  seed?: number;
}

export function demoStoreSpecs(options: DemoFleetOptions = {}): StoreSpec[] {
  const count = options.stores ?? 8;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 5000) throw new Error('stores must be an integer 1..5000');
  const base = [...sites()];
  const specs: StoreSpec[] = [];
  for (let i = 0; i < count; i++) {
    const site = base[i % base.length];
    if (!site) throw new Error('the site list is empty');
    const round_ = Math.floor(i / base.length);
    const suffix = round_ === 0 ? '' : `-${round_ + 1}`;
    const id = `${site.city.code}-${slug(site.district)}${suffix}`;
    const name = `${site.city.name} ${site.district}${round_ === 0 ? '' : ` No. ${round_ + 1}`}`;
    const r = (what: string) => unit(seed, id, what);
    const nodes: NodeSpec[] = [
      { id: `${id}-a`, priority: 100, baseLagSeconds: round(0.1 + r('lag-a') * 0.6, 3) },
      { id: `${id}-b`, priority: 50, baseLagSeconds: round(0.1 + r('lag-b') * 0.6, 3) },
    ];
    // Every seventh store keeps an asynchronous copy at a DR site, which is never a failover target.
    if (i % 7 === 2) nodes.push({ id: `${id}-dr`, priority: 0, baseLagSeconds: round(2 + r('lag-dr') * 6, 3) });
    specs.push({
      id,
      name,
      region: site.city.region,
      timezone: 'Asia/Shanghai',
      mode: i === manualIndex(count) ? 'manual' : 'auto',
      epoch: 1 + Math.floor(r('epoch') * 3),
      nodes,
      // Small stores run without a witness; every eighth store is one of them.
      arbiter: i % 8 !== 7,
      walBytesPerSecond: Math.round((64 + r('wal') * 448) * 1024),
      seed,
    });
  }
  return specs;
}

/** URL of a simulated node, arbiter or active endpoint under `baseUrl` (no trailing slash). */
export const simUrls = {
  node: (baseUrl: string, storeId: string, nodeId: string) => `${baseUrl}/stores/${storeId}/nodes/${nodeId}`,
  arbiter: (baseUrl: string, storeId: string) => `${baseUrl}/stores/${storeId}/arbiter`,
  active: (baseUrl: string, storeId: string) => `${baseUrl}/stores/${storeId}/active`,
};

/** The mirrorwatch fleet config that watches `specs` as served under `baseUrl`. */
export function fleetConfigFor(specs: readonly StoreSpec[], baseUrl: string): FleetConfigInput {
  const root = baseUrl.replace(/\/+$/, '');
  return {
    version: 1,
    defaults: {
      intervalSeconds: 5,
      timeoutMs: 2000,
      failover: { mode: 'manual', thresholdSeconds: 30, maxLagSeconds: 30, cooldownSeconds: 3600 },
    },
    stores: specs.map((spec) => ({
      id: spec.id,
      name: spec.name,
      region: spec.region,
      timezone: spec.timezone,
      activeEndpoint: simUrls.active(root, spec.id),
      ...(spec.arbiter ? { arbiter: { url: simUrls.arbiter(root, spec.id) } } : {}),
      nodes: spec.nodes.map((n) => ({ id: n.id, url: simUrls.node(root, spec.id, n.id), priority: n.priority })),
      failover: { mode: spec.mode },
    })),
  };
}

export function makeDemoFleet(options: DemoFleetOptions & { baseUrl: string }): {
  specs: StoreSpec[];
  config: FleetConfigInput;
} {
  const specs = demoStoreSpecs(options);
  return { specs, config: fleetConfigFor(specs, options.baseUrl) };
}
