import type { Tone } from '#shared/status-words.ts';
import { PAGE_ENGLISH } from '../../lib/page-catalog.ts';
import { t } from '../../lib/page-words.ts';
import type { Words } from '../../lib/ui-catalog.ts';
import type { NodeStatus, StoreStatus } from '../../lib/wire.ts';
import { lagText } from './format.ts';

/** One word for a node's state, with the tone the pills use. */
export function nodeState(n: NodeStatus, w: Words = PAGE_ENGLISH): { word: string; tone: Tone } {
  // A primary that fenced itself (no lease, no standby): it takes no writes until a lease arrives.
  if (n.selfFenced) return { word: w('node.fenced'), tone: 'warn' };
  if (!n.reachable) return { word: w('node.unreachable'), tone: 'bad' };
  if (n.needsReinstatement) return { word: w('node.reinstate'), tone: 'warn' };
  if (!n.healthy) return { word: w('node.unhealthy'), tone: 'bad' };
  return { word: w('node.up'), tone: 'ok' };
}

/** The node's role; a self-fenced node that cannot tell its role was the primary that fenced itself. */
export function nodeRole(n: Pick<NodeStatus, 'role' | 'selfFenced'>, w: Words = PAGE_ENGLISH): string {
  return w(`role.${n.selfFenced && n.role === 'unknown' ? 'primary' : n.role}`);
}

export function NodeTable({ store }: { store: StoreStatus }) {
  return (
    <table class="nodes">
      <thead>
        <tr>
          <th scope="col">{t('node.node')}</th>
          <th scope="col">{t('node.role')}</th>
          <th scope="col">{t('node.state')}</th>
          <th scope="col" class="num">
            {t('node.lag')}
          </th>
        </tr>
      </thead>
      <tbody>
        {store.nodes.map((n) => {
          const state = nodeState(n, t);
          return (
            <tr key={n.id}>
              <th scope="row">
                {n.id}
                {n.error && <div class="node-error">{n.error}</div>}
              </th>
              <td>{nodeRole(n, t)}</td>
              <td>
                <span class={`state ${state.tone}`}>
                  <span class="dot" aria-hidden="true" />
                  {state.word}
                </span>
              </td>
              <td class="num">
                <span class="figure">{n.role === 'standby' ? lagText(n.lagSeconds, t) : '—'}</span>
              </td>
            </tr>
          );
        })}
        {store.arbiter && (
          <tr>
            <th scope="row">{t('node.arbiter')}</th>
            <td>{t('role.witness')}</td>
            <td>
              <span class={`state ${store.arbiter.reachable ? 'ok' : 'bad'}`}>
                <span class="dot" aria-hidden="true" />
                {store.arbiter.reachable ? t('node.up') : t('node.unreachable')}
              </span>
            </td>
            <td class="num">—</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
