import type { KnownStore, OptionsModel } from '../../lib/options-model.ts';
import { t } from '../../lib/page-words.ts';
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
  const noRegion = t('watch.noRegion');
  for (const s of known) groups.set(s.region ?? noRegion, [...(groups.get(s.region ?? noRegion) ?? []), s]);
  const missing = stores.filter((id) => !known.some((s) => s.id === id));
  const missingRegions = regions.filter((r) => !groups.has(r));
  return (
    <>
      <p class="hint">
        {t('watch.follow')} <strong>{everything ? t('watch.everything') : t('watch.onlyTicked')}</strong>
      </p>
      {known.length === 0 && (
        <p class="hint">
          {t('watch.testFirst')}
          {!everything &&
            t('watch.now', { list: [...stores, ...regions.map((r) => t('watch.allOf', { region: r }))].join(', ') })}
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
                  label={t('watch.region', { region })}
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
            <legend>{t('watch.missing')}</legend>
            {missing.map((id) => (
              <Toggle key={id} id={`store-${id}`} label={id} checked onChange={(on) => model.toggleStore(id, on)} />
            ))}
            {missingRegions.map((r) => (
              <Toggle
                key={r}
                id={`region-${r}`}
                label={t('watch.allOf', { region: r })}
                checked
                onChange={(on) => model.toggleRegion(r, on)}
              />
            ))}
          </fieldset>
        )}
      </div>
      {!everything && (
        <button type="button" class="btn quiet" onClick={model.watchAll}>
          {t('watch.all')}
        </button>
      )}
    </>
  );
}
