/** The status table: aligned in terminal cells (Chinese takes two), colour only when asked for. */
import { describe, expect, it } from 'vitest';
import { translator } from '#cli/i18n.ts';
import { formatLag, statusTable } from '#cli/status-table.ts';
import { displayWidth, formatTable, paint } from '#cli/table.ts';
import type { StoreStatus } from '#shared/schemas/status.ts';

const store = (id: string, status: StoreStatus['status'], extra: Partial<StoreStatus> = {}): StoreStatus => ({
  id,
  name: id,
  region: null,
  status,
  since: '2026-11-21T05:00:00.000Z',
  primary: `${id}-a`,
  epoch: 3,
  lagSeconds: 0.42,
  nodes: [],
  arbiter: null,
  reasons: [],
  lastFailover: null,
  checkedAt: null,
  ...extra,
});

describe('CLI tables', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      formatTable(
        ['A', 'BB', 'C'],
        [
          ['xxx', 'y', 'last one'],
          ['x', 'yyyy', 'z'],
        ],
      ),
    ).toBe(['A    BB    C', 'xxx  y     last one', 'x    yyyy  z'].join('\n'));
  });

  it('counts a Chinese character as two cells and colour codes as none', () => {
    expect(displayWidth('主库宕机')).toBe(8);
    expect(displayWidth(paint('healthy', 'green', true))).toBe(7);
    expect(paint('healthy', 'green', false)).toBe('healthy');
  });

  it('lists stores by id with status, primary, epoch, lag and since, in English', () => {
    const table = statusTable(
      [store('sh-b', 'primary_down', { primary: null, lagSeconds: null }), store('gz-a', 'healthy')],
      translator('en'),
      false,
    );
    expect(table.split('\n')).toEqual([
      'STORE  STATUS        PRIMARY  EPOCH  LAG    SINCE',
      'gz-a   healthy       gz-a-a   3      0.4 s  2026-11-21 05:00:00Z',
      'sh-b   primary down  -        3      -      2026-11-21 05:00:00Z',
    ]);
  });

  it('lines up in Chinese, and colours the status only when colour is on', () => {
    const rows = [store('gz-a', 'healthy'), store('sh-b', 'awaiting_confirm')];
    const zh = statusTable(rows, translator('zh-CN'), false).split('\n');
    expect(zh[0]).toBe('门店  状态      主库    纪元  延迟   起始时间');
    expect(zh[2]).toBe('sh-b  等待确认  sh-b-a  3     0.4 s  2026-11-21 05:00:00Z');
    expect(statusTable(rows, translator('en'), false)).not.toContain('\u001b[');
    expect(statusTable(rows, translator('en'), true)).toContain('\u001b[32mhealthy\u001b[0m');
  });

  it('shows lag to a tenth below ten seconds, whole seconds above', () => {
    expect([formatLag(0), formatLag(9.96), formatLag(12.4), formatLag(null)]).toEqual(['0.0 s', '10 s', '12 s', '-']);
  });
});
