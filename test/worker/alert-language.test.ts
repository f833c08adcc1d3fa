import { describe, expect, it } from 'vitest';
import { AlertMessage } from '#shared/schemas/alert.ts';
import { actionsTo, receiverUrl, setAgent, unique, watchedStore } from './support.ts';

describe('alerts in each channel’s language', () => {
  it('sends the same alert in English to one channel and in Chinese to a zh-CN channel', async () => {
    const [en, zh] = [unique('alerts-en'), unique('alerts-zh')];
    const channel = (id: string, name: string, extra: Record<string, unknown>) => ({
      id,
      type: 'webhook',
      url: receiverUrl(name),
      secret: 'ALERT_WEBHOOK_SECRET',
      ...extra,
    });
    const alerts = {
      channels: [channel('ops', en, {}), channel('cn-ops', zh, { locale: 'zh-CN' })],
      routes: [{ channels: ['ops', 'cn-ops'] }],
    };
    const { id, monitor } = await watchedStore({ fleet: { alerts } });
    await setAgent(`${id}-b`, { mode: 'garbage' });
    expect((await monitor.rounds(2))?.status).toBe('degraded');
    const received = async (name: string) => (await actionsTo(name)).map((p) => AlertMessage.parse(JSON.parse(p.body)));
    const [english] = await received(en);
    const [chinese] = await received(zh);
    expect(english?.title).toBe(`WARNING Store ${id}: degraded`);
    expect(chinese?.title).toBe(`【警告】 Store ${id}：性能下降`);
    // Same alert, same key and severity: only the words differ.
    expect(chinese).toMatchObject({ key: english?.key, severity: 'warning', kind: 'open', text: english?.text });
  });
});
