/**
 * One probe round of a StoreMonitor, applied: probe every endpoint, fold the answers, classify,
 * feed the failover machine, fence stale primaries, remember what is worth remembering, publish,
 * add to the rollups and schedule the next round. Every decision is a pure function's; this only
 * applies them in order.
 */
import { classify } from '#shared/classify.ts';
import { nextRoundAt } from '#shared/monitor/cadence.ts';
import { epochInFlight, remember, sameMemory, storeEpoch } from '#shared/monitor/known-primary.ts';
import type { StoreObservations } from '#shared/observations.ts';
import type { MonitorConfig } from '#shared/schemas/config.ts';
import { leaseHeaders, leaseSecondsOf } from './lease-keeper.ts';
import { probeStore, roundSamples } from './round.ts';
import { fenceStalePrimaries } from './stale-primary.ts';
import { ACTION_TIMEOUT_MS, type StoreWatch } from './store-watch.ts';

/** A pushed report older than this many intervals no longer counts for resource readings. */
const PUSH_FRESH_INTERVALS = 3;

export async function applyRound(w: StoreWatch): Promise<void> {
  const warm = w.warm;
  const clock = () => w.host.clock();
  const started = clock();
  warm.requestedRoundAt = null; // this round serves it; one asked for meanwhile stays
  const probed = w.cfg?.config;
  if (!probed) return;
  const leased = await leaseForRound(w, probed, clock);
  const round = await probeStore(probed.store, probed.timeoutMs, clock, leased);
  const now = clock();
  if (leased) {
    // Counted from when the leased probe settled (answered or timed out), never from before its send.
    const settled = round.nodes.find((n) => n.id === leased.node)?.http.at ?? now;
    w.leases.leaseSettled(Math.max(settled, started));
  }
  // The store may have been removed (or removed and added back) while the probes were out.
  if (w.warm !== warm || !w.cfg) return;
  // Decisions use the config in force now: a change that landed during the probes is not undone.
  const { config } = w.cfg;
  const { store } = config;
  const samples = roundSamples(round);
  warm.stats.rounds += 1;
  warm.stats.probes += samples.length;
  warm.freshRounds += 1;
  w.endpoints.fold(round, now);

  const observations: StoreObservations = {
    now,
    config,
    freshRounds: warm.freshRounds,
    ...w.endpoints.observed(store),
    knownPrimary: w.observed.knownPrimary,
    epoch: storeEpoch(w.observed.epoch, w.failover.state.epoch),
    epochInFlight: epochInFlight(w.failover.state),
  };
  const classification = classify(observations);
  const freshFrom = now - PUSH_FRESH_INTERVALS * config.intervalSeconds * 1000;
  w.duties.observe(config, w.endpoints.resourceReadings(round, freshFrom), now);
  w.leases.afterRound(classification, round.nodes, started);
  warm.view = { classification, observations, maintenance: w.duties.window !== null };
  await w.failover.run({ type: 'observed', now, ...warm.view });
  const lines = await fenceStalePrimaries({
    store,
    classification,
    fencedAt: warm.staleFencedAt,
    failoverId: w.failover.state.current?.id ?? `${store.id}-reinstate`,
    now,
    webhookSecret: w.host.env.WEBHOOK_SECRET,
    timeoutMs: ACTION_TIMEOUT_MS,
  });
  for (const line of lines) w.history.addEvent(now, 'failover', line);
  const memory = remember(w.observed, classification);
  if (!sameMemory(memory, w.observed)) w.setObserved({ ...w.observed, ...memory });
  warm.classification = classification;
  const composed = w.publish(now);
  const leaseSeconds = leaseSecondsOf(config);
  const selfFenced = classification.nodes.filter((n) => n.selfFenced).map((n) => ({ node: n.id, leaseSeconds }));
  if (composed) w.duties.evaluateAlerts(config, composed.base, w.failover.state.current, now, selfFenced);
  w.recordRollups(samples, now);
  const next = nextRoundAt({
    started,
    intervalSeconds: config.intervalSeconds,
    classification,
    phase: w.failover.state.phase,
  });
  // A promote held by the gate needs a standby probe sent at or after the gate's earliest opening.
  const gate = w.leases.gate(w.failover.state, config, now);
  warm.scheduledRoundAt = gate.open ? next : Math.min(next, Math.max(gate.notBefore, now));
}

/**
 * The lease headers for this round's probe of the held primary, if it gets one (`leaseFor`). The
 * lease counts as leaving before it is signed, so a gate computed meanwhile takes it as sent now;
 * a failover decided while it was being signed keeps it from going out at all.
 */
async function leaseForRound(
  w: StoreWatch,
  config: MonitorConfig,
  clock: () => number,
): Promise<{ node: string; headers: Record<string, string> } | null> {
  const node = w.leases.held?.node;
  if (node === undefined || !w.leases.grantFor(node, config, w.failover.state)) return null;
  w.leases.leaseLeaving(clock());
  const grant = w.leases.grantFor(node, config, w.failover.state);
  const signed = grant && (await w.leases.sign(w.host.env.WEBHOOK_SECRET, config.store.id, node, grant, Date.now()));
  if (signed && w.leases.grantFor(node, config, w.failover.state)) return { node, headers: leaseHeaders(signed) };
  w.leases.leaseSettled(clock());
  return null;
}
