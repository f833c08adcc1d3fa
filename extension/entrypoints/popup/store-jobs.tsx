import { useEffect, useMemo } from 'preact/hooks';
import { createBackgroundClient } from '../../lib/background-client.ts';
import { createJobsModel, type JobsModel, lastRunText } from '../../lib/jobs-model.ts';
import { t } from '../../lib/page-words.ts';

/** The store's scheduled jobs: last run and its node, next slot in the store's zone, a slot run twice. */
export function StoreJobs({ storeId, now, model }: { storeId: string; now: number; model?: JobsModel }) {
  const jobsModel = useMemo(() => model ?? createJobsModel(createBackgroundClient()), [model]);
  useEffect(() => void jobsModel.load(storeId), [jobsModel, storeId]);
  const jobs = jobsModel.jobs.value;
  if (jobsModel.error.value) return <p class="error">{t('jobs.error', { error: jobsModel.error.value })}</p>;
  if (jobs === null || jobs.length === 0) return null;
  return (
    <>
      <h3>{t('jobs.title')}</h3>
      <table class="nodes jobs">
        <thead>
          <tr>
            <th scope="col">{t('jobs.job')}</th>
            <th scope="col">{t('jobs.lastRun')}</th>
            <th scope="col">{t('jobs.nextSlot')}</th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id}>
              <th scope="row">
                {j.name}
                {j.reason && <div class="node-error">{j.reason}</div>}
                {j.doubled && (
                  <div class="node-error">
                    {t('jobs.doubled', { slot: j.doubled.local, nodes: j.doubled.nodes.join(t('jobs.and')) })}
                  </div>
                )}
              </th>
              <td>{lastRunText(j, now, t)}</td>
              <td>{j.nextSlot?.local ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
