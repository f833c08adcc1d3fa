/**
 * The public status page, server-rendered from the public status alone (so it cannot leak what
 * that document does not hold). Status in words and colour, never colour alone.
 */
import { html } from 'hono/html';
import type { PublicStatus, PublicStore } from '../../shared/schemas/api.ts';
import type { StoreStatusName } from '../../shared/schemas/status.ts';

const WORDS: Record<StoreStatusName, { text: string; tone: 'ok' | 'warn' | 'bad' | 'info' | 'muted' }> = {
  healthy: { text: 'Operational', tone: 'ok' },
  degraded: { text: 'Degraded', tone: 'warn' },
  primary_down: { text: 'Outage', tone: 'bad' },
  awaiting_confirm: { text: 'Outage: failover awaiting confirmation', tone: 'bad' },
  failing_over: { text: 'Failing over', tone: 'info' },
  split_brain: { text: 'Outage', tone: 'bad' },
  store_unreachable: { text: 'Unreachable', tone: 'bad' },
  maintenance: { text: 'Maintenance', tone: 'info' },
  unknown: { text: 'No data yet', tone: 'muted' },
};

const pct = (v: number | null) => (v === null ? '—' : `${(Math.floor(v * 100) / 100).toFixed(2)} %`);

function storeRow(s: PublicStore) {
  const w = WORDS[s.status];
  return html`<tr>
    <th scope="row">${s.name}</th>
    <td><span class="pill ${w.tone}">${w.text}</span></td>
    <td>${pct(s.uptime['24h'])}</td><td>${pct(s.uptime['7d'])}</td><td>${pct(s.uptime['30d'])}</td><td>${pct(s.uptime['90d'])}</td>
  </tr>`;
}

export function renderStatusPage(status: PublicStatus) {
  const regions = new Map<string, PublicStore[]>();
  for (const s of status.stores) {
    const key = s.region ?? 'Other';
    regions.set(key, [...(regions.get(key) ?? []), s]);
  }
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="30"><title>Store status</title>
<style>
:root{color-scheme:light dark;--ok:#15803d;--warn:#b45309;--bad:#b91c1c;--info:#1d4ed8;--muted:#6b7280}
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem}
table{width:100%;border-collapse:collapse;margin-bottom:1.5rem}th,td{text-align:left;padding:.4rem;border-bottom:1px solid #8884}
.pill{display:inline-block;padding:0 .5rem;border-radius:1rem;color:#fff}.ok{background:var(--ok)}.warn{background:var(--warn)}
.bad{background:var(--bad)}.info{background:var(--info)}.muted{background:var(--muted)}
@media (max-width:40rem){td:nth-child(n+4),th.w{display:none}}
</style></head><body>
<h1>Store status</h1>
<p>Updated <time datetime="${status.generatedAt}">${status.generatedAt.replace('T', ' ').slice(0, 19)} UTC</time></p>
${status.stores.length === 0 ? html`<p>No stores are published yet.</p>` : ''}
${[...regions.entries()].map(
  ([region, stores]) => html`<section><h2>${region}</h2><table>
<thead><tr><th scope="col">Store</th><th scope="col">Status</th><th scope="col">24 h</th><th scope="col">7 d</th><th scope="col" class="w">30 d</th><th scope="col" class="w">90 d</th></tr></thead>
<tbody>${stores.map(storeRow)}</tbody></table></section>`,
)}
</body></html>`;
}
