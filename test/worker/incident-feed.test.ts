import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { incidentTitle } from '#shared/public-incidents.ts';
import { ListedIncident } from '#shared/schemas/incident-notes.ts';
import { healthyStore, setAgent, standIns, watchedStore } from './support.ts';

type Watched = Awaited<ReturnType<typeof watchedStore>>;

/** A minute without a serving primary, then healthy again: one outage on the store's timeline. */
async function outage(w: Watched) {
  await w.monitor.rounds(12);
  await setAgent(`${w.id}-a`, { mode: 'http500' });
  await setAgent(`${w.id}-vip`, { mode: 'http500' });
  await w.monitor.rounds(60, 1000);
  await healthyStore(w.id);
  await w.monitor.rounds(14);
}

async function listed(w: Watched) {
  const res = await w.api.call('/api/v1/incidents', { token: 'viewer' });
  expect(res.status).toBe(200);
  const { incidents } = (await res.json()) as { incidents: unknown[] };
  const outages = incidents.map((i) => ListedIncident.parse(i)).filter((i) => i.kind === 'outage');
  expect(outages).toHaveLength(1);
  return outages[0] as ListedIncident;
}

const note = (w: Watched, id: string, body: unknown, token: 'operator' | 'viewer' = 'operator') =>
  w.api.call(`/api/v1/incidents/${id}/notes`, {
    method: 'POST',
    token,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The elements RFC 4287 requires of a feed and of each entry, read with a plain XML parser. */
function requiredAtom(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'entry' || name === 'link' }).parse(
    xml,
  );
  const feed = doc.feed;
  expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
  for (const field of ['id', 'title', 'updated']) expect(feed[field], field).toBeTruthy();
  expect(feed.author.name).toBeTruthy();
  expect(Number.isNaN(Date.parse(feed.updated))).toBe(false);
  const entries: Array<Record<string, unknown>> = feed.entry ?? [];
  for (const entry of entries) {
    for (const field of ['id', 'title', 'updated']) expect(entry[field], field).toBeTruthy();
    expect(Number.isNaN(Date.parse(String(entry.updated)))).toBe(false);
  }
  return { feed, entries };
}

describe('incident feed and public notes', () => {
  it('an outage is an entry; notes posted on it show in the feed and on the page, audited, with nothing internal', async () => {
    const w = await watchedStore();
    await outage(w);
    const incident = await listed(w);
    expect(incident.store).toBe(w.id);
    expect(incident.id).toMatch(new RegExp(`^${w.id}\\.outage\\.\\d{8}T\\d{6}Z$`));
    expect(incident.notes).toEqual([]);

    expect((await note(w, incident.id, { text: 'looking' }, 'viewer')).status).toBe(403);
    expect((await note(w, incident.id, '{"text":')).status).toBe(400);
    expect((await note(w, incident.id, { text: '   ' })).status).toBe(422);
    expect((await note(w, incident.id, { text: 'x', state: 'sleeping' })).status).toBe(422);
    expect((await note(w, `${w.id}.outage.20200101T000000Z`, { text: 'x' })).status).toBe(404);
    expect((await note(w, 'not-an-incident', { text: 'x' })).status).toBe(404);

    const first = await note(w, incident.id, { text: 'We are looking into it.', state: 'investigating' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ note: { incident: incident.id, state: 'investigating' } });
    const update = await note(w, incident.id, { text: 'Power restored <b>& stable</b>.', state: 'resolved' });
    expect(update.status).toBe(201);
    expect((await listed(w)).notes.map((n) => n.state)).toEqual(['investigating', 'resolved']);

    const audit = (await (await w.api.call('/api/v1/audit', { token: 'admin' })).json()) as {
      entries: Array<{ action: string; who: string; store: string; what: string }>;
    };
    const notes = audit.entries.filter((e) => e.action === 'incident.note');
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatchObject({ who: 'operator:operator', store: w.id });
    expect(notes[0]?.what).toContain('Power restored');

    const res = await w.api.call('/status/feed.atom');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    const { entries } = requiredAtom(xml);
    expect(entries).toHaveLength(1);
    const parsed = parseFeed(xml);
    expect(parsed.meta.type).toBe('atom');
    expect(parsed.title).toBe('Store status: incidents');
    expect(parsed.items).toHaveLength(1);
    const item = parsed.items[0];
    expect(item?.title).toBe(`Store ${w.id}: Resolved: Outage: the store database was unavailable`);
    expect(item?.url).toBe(`http://localhost/status#${incident.id}`);
    expect(item?.content).toContain('We are looking into it.');
    // The note's own markup stays text: escaped in the entry's HTML, which is escaped once more as XML.
    const html = String((entries[0]?.content as Record<string, unknown> | undefined)?.['#text']);
    expect(html).toContain('<strong>Resolved</strong>');
    expect(html).toContain('Power restored &lt;b&gt;&amp; stable&lt;/b&gt;.');
    // Nothing internal: no node id, no URL or host of an agent, no reason the monitor gave.
    for (const secret of [`${w.id}-a`, `${w.id}-vip`, new URL(standIns().baseUrl).host, 'http500', 'unreachable'])
      expect(xml).not.toContain(secret);

    const region = await w.api.call('/status/feed.atom?region=South%20China');
    expect(parseFeed(await region.text()).items.map((i) => i.id)).toEqual([item?.id]);
    expect((await w.api.call('/status/feed.atom?region=Atlantis')).status).toBe(404);
    expect((await w.api.call('/status/feed.atom?region=')).status).toBe(400);

    // In Chinese, per region too: the feed's words, the entry's title and the times in its text; the notes as written.
    const zhRes = await w.api.call('/status/feed.atom?region=South%20China&lang=zh-CN');
    expect(zhRes.headers.get('content-language')).toBe('zh-CN');
    const zhXml = await zhRes.text();
    requiredAtom(zhXml);
    const zh = parseFeed(zhXml);
    expect(zh.title).toBe('门店状态：South China的事件');
    expect(zh.language).toBe('zh-CN');
    expect(zh.items.map((i) => i.id)).toEqual([item?.id]);
    expect(zh.items[0]?.title).toBe(`Store ${w.id}：已解决：${incidentTitle(incident, 'zh-CN')}`);
    expect(zh.items[0]?.content).toContain('<strong>已解决</strong>');
    expect(zh.items[0]?.content).toMatch(/开始：\d{4}年\d{1,2}月\d{1,2}日周. \d\d:\d\d UTC。/);
    expect(zh.items[0]?.content).toContain('We are looking into it.');
    expect(zh.items[0]?.content).not.toMatch(/\d{4}-\d\d-\d\dT/);
    // English by default, Chinese by Accept-Language; an unknown language is refused, not guessed.
    expect(item?.content).toMatch(/Started: \w{3} \d{1,2} \w{3} \d{4} \d\d:\d\d UTC\. Ended: /);
    const byHeader = await w.api.call('/status/feed.atom', { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9' } });
    expect(parseFeed(await byHeader.text()).title).toBe('门店状态：事件');
    const fr = await w.api.call('/status/feed.atom?lang=fr');
    expect(fr.status).toBe(400);
    expect(((await fr.json()) as { error: { message: string } }).error.message).toContain('lang must be one of');

    const page = await (await w.api.call('/status')).text();
    expect(page).toContain(`id="${incident.id}"`);
    expect(page).toContain('We are looking into it.');
    expect(page).toContain('Power restored &lt;b&gt;&amp; stable&lt;/b&gt;.');
    const zhPage = await (await w.api.call('/status?lang=zh-CN')).text();
    expect(zhPage).toContain('<strong>调查中</strong>');
    expect(zhPage).toContain('<strong>已解决</strong>');
    expect(zhPage).not.toContain('<strong>Resolved</strong>');
  });

  it("a store that is not public is in no feed, nor are its incidents' notes", async () => {
    const w = await watchedStore({ store: { public: false } });
    await outage(w);
    const incident = await listed(w);
    expect((await note(w, incident.id, { text: 'Internal only: disk swap.' })).status).toBe(201);
    const xml = await (await w.api.call('/status/feed.atom')).text();
    const { entries } = requiredAtom(xml);
    expect(entries).toHaveLength(0);
    expect(parseFeed(xml).items).toHaveLength(0);
    expect(xml).not.toContain('disk swap');
    expect(xml).not.toContain(w.id);
  });
});
