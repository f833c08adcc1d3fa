import type { KnownStore, OptionsModel } from '../../lib/options-model.ts';
import { Toggle } from './toggle.tsx';

/**
 * The stores to watch, chosen once: ticked from the server's own list, a whole region at a time or
 * store by store. Ids saved earlier that the server no longer has stay listed, so they can be unticked.
 */
export function WatchPicker({ model }: { model: OptionsModel }) {
  const known = model.known.value;
  const stores = model.watchedStoreIds.value;
  const regions = model.watchedRegions.value;
  const everything = stores.length === 0 && regions.length === 0;
  const groups = new Map<string, KnownStore[]>();
  for (const s of known) groups.set(s.region ?? 'No region', [...(groups.get(s.region ?? 'No region') ?? []), s]);
  const missing = stores.filter((id) => !known.some((s) => s.id === id));
  const missingRegions = regions.filter((r) => !groups.has(r));
  return (
    <>
      <p class="hint">
        The badge and notifications follow the stores ticked here.{' '}
        <strong>{everything ? 'Nothing ticked: every store is watched.' : 'Only what is ticked is watched.'}</strong>
      </p>
      {known.length === 0 && (
        <p class="hint">
          Test the connection (or save) to choose from the server's stores.
          {!everything && <> Watching now: {[...stores, ...regions.map((r) => `all of ${r}`)].join(', ')}.</>}
        </p>
      )}
      <div class="regions">
        {[...groups.entries()].map(([region, list]) => {
          const whole = regions.includes(region);
          return (
            <fieldset key={region} class="region">
              <legend>
                <Toggle
                  id={`region-${region}`}
                  label={`${region} (every store)`}
                  checked={whole}
                  onChange={(on) => model.toggleRegion(region, on)}
                />
              </legend>
              {list.map((s) => (
                <Toggle
                  key={s.id}
                  id={`store-${s.id}`}
                  label={s.name}
                  checked={whole || stores.includes(s.id)}
                  disabled={whole}
                  onChange={(on) => model.toggleStore(s.id, on)}
                />
              ))}
            </fieldset>
          );
        })}
        {known.length > 0 && missing.length + missingRegions.length > 0 && (
          <fieldset class="region">
            <legend>Saved, but not on the server</legend>
            {missing.map((id) => (
              <Toggle key={id} id={`store-${id}`} label={id} checked onChange={(on) => model.toggleStore(id, on)} />
            ))}
            {missingRegions.map((r) => (
              <Toggle
                key={r}
                id={`region-${r}`}
                label={`all of ${r}`}
                checked
                onChange={(on) => model.toggleRegion(r, on)}
              />
            ))}
          </fieldset>
        )}
      </div>
      {!everything && (
        <button type="button" class="btn quiet" onClick={model.watchAll}>
          Watch every store instead
        </button>
      )}
    </>
  );
}
