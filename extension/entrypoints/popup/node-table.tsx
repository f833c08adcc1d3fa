import type { Tone } from '#shared/status-words.ts';
import type { NodeStatus, StoreStatus } from '../../lib/wire.ts';
import { lagText } from './format.ts';

/** One word for a node's state, with the tone the pills use. */
export function nodeState(n: NodeStatus): { word: string; tone: Tone } {
  // A primary that fenced itself (no lease, no standby): it takes no writes until a lease arrives.
  if (n.selfFenced) return { word: 'Fenced itself', tone: 'warn' };
  if (!n.reachable) return { word: 'Unreachable', tone: 'bad' };
  if (n.needsReinstatement) return { word: 'Reinstate', tone: 'warn' };
  if (!n.healthy) return { word: 'Unhealthy', tone: 'bad' };
  return { word: 'Up', tone: 'ok' };
}

/** The node's role; a self-fenced node that cannot tell its role was the primary that fenced itself. */
export function nodeRole(n: Pick<NodeStatus, 'role' | 'selfFenced'>): string {
  return n.selfFenced && n.role === 'unknown' ? 'primary' : n.role;
}

export function NodeTable({ store }: { store: StoreStatus }) {
  return (
    <table class="nodes">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Role</th>
          <th scope="col">State</th>
          <th scope="col" class="num">
            Lag
          </th>
        </tr>
      </thead>
      <tbody>
        {store.nodes.map((n) => {
          const state = nodeState(n);
          return (
            <tr key={n.id}>
              <th scope="row">
                {n.id}
                {n.error && <div class="node-error">{n.error}</div>}
              </th>
              <td>{nodeRole(n)}</td>
              <td>
                <span class={`state ${state.tone}`}>
                  <span class="dot" aria-hidden="true" />
                  {state.word}
                </span>
              </td>
              <td class="num">
                <span class="figure">{n.role === 'standby' ? lagText(n.lagSeconds) : '—'}</span>
              </td>
            </tr>
          );
        })}
        {store.arbiter && (
          <tr>
            <th scope="row">arbiter</th>
            <td>witness</td>
            <td>
              <span class={`state ${store.arbiter.reachable ? 'ok' : 'bad'}`}>
                <span class="dot" aria-hidden="true" />
                {store.arbiter.reachable ? 'Up' : 'Unreachable'}
              </span>
            </td>
            <td class="num">—</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
