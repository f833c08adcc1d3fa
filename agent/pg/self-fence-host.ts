/**
 * The PostgreSQL side of the self-fence (`SelfFenceHost` for agent/lease/self-fence-keeper.ts): one
 * short connection per poll reads the role and, on a primary, its standbys' `reply_time`s
 * (./standby-replies.ts); on a standby the same read keeps the contact age current. Fence and lift
 * go through the backend, which keeps them durable and in order with the monitor's actions.
 */
import { type LeaseIntake, leaseIntake } from '../lease/lease-intake.ts';
import { type FenceView, type SelfFenceHost, SelfFenceKeeper } from '../lease/self-fence-keeper.ts';
import type { PgBackend } from './backend.ts';
import { type DbTarget, dbErrorText, withClient } from './client.ts';
import { readStatus } from './queries.ts';
import { NO_REPLIES, nextReplies, type ReplyTracker, readStandbyReplies } from './standby-replies.ts';

export interface PgSelfFenceHostOptions {
  backend: PgBackend;
  db: DbTarget;
  timeoutMs: number;
  /** Count only standbys of these `application_name`s (default: every physical standby). */
  countedStandbys?: readonly string[];
  log: (line: string) => void;
}

export function pgSelfFenceHost(options: PgSelfFenceHostOptions): SelfFenceHost {
  const { backend } = options;
  let replies: ReplyTracker = NO_REPLIES;
  let failing: string | null = null;
  return {
    current: () => {
      const { epoch, fenced, selfFenced } = backend.state;
      return { epoch, fenced, selfFenced };
    },
    async observe(now) {
      let seen: Awaited<ReturnType<typeof poll>>;
      try {
        seen = await poll(options);
      } catch (error) {
        backend.noteReceiver(null);
        const text = dbErrorText(error);
        if (text !== failing) options.log(`self-fence poll failed, nothing decided until it works: ${text}`);
        failing = text;
        return null;
      }
      if (failing !== null) options.log('self-fence poll works again');
      failing = null;
      backend.noteReceiver(seen.status);
      if (seen.rows !== null) replies = nextReplies(replies, now, seen.rows, options.countedStandbys);
      const { epoch, fenced, selfFenced } = backend.state;
      const view: FenceView = { role: seen.status.in_recovery ? 'standby' : 'primary', epoch, fenced, selfFenced };
      return { view, standbyReplyAt: replies.replyAt };
    },
    fenceSelf: () => backend.selfFence(),
    liftSelfFence: (reason) => backend.liftSelfFence(reason),
  };
}

function poll(o: PgSelfFenceHostOptions) {
  return withClient(o.db, o.timeoutMs, async (client) => {
    const status = await readStatus(client);
    const rows = status.in_recovery ? null : await readStandbyReplies(client);
    return { status, rows };
  });
}

export interface PgSelfFenceSettings {
  enabled: boolean;
  leaseSeconds: number;
  pollMs: number;
  countedStandbys?: readonly string[] | undefined;
}

/**
 * The whole self-fence of a PostgreSQL node, started: the keeper (polling and deciding) and the
 * lease intake the agent's server and push loop feed. One wiring for the CLI and the test store.
 */
export function startPgSelfFence(o: {
  backend: PgBackend;
  db: DbTarget;
  timeoutMs: number;
  settings: PgSelfFenceSettings;
  keys: readonly string[];
  store: string;
  node: string;
  log: (line: string) => void;
}): { keeper: SelfFenceKeeper; leases: LeaseIntake } {
  const { settings } = o;
  const host = pgSelfFenceHost({
    backend: o.backend,
    db: o.db,
    timeoutMs: o.timeoutMs,
    countedStandbys: settings.countedStandbys,
    log: o.log,
  });
  const keeper = new SelfFenceKeeper({
    host,
    enabled: settings.enabled,
    leaseSeconds: settings.leaseSeconds,
    pollMs: settings.pollMs,
    log: o.log,
  });
  keeper.start();
  const leases = leaseIntake({ keys: o.keys, store: o.store, node: o.node, keeper, log: o.log });
  return { keeper, leases };
}
