import { useEffect, useMemo } from 'preact/hooks';
import { createBackgroundClient } from '../../lib/background-client.ts';
import { createJobsModel, type JobsModel, lastRunText } from '../../lib/jobs-model.ts';

/** The store's scheduled jobs: last run and its node, next slot in the store's zone, a slot run twice. */
export function StoreJobs({ storeId, now, model }: { storeId: string; now: number; model?: JobsModel }) {
  const jobsModel = useMemo(() => model ?? createJobsModel(createBackgroundClient()), [model]);
  useEffect(() => void jobsModel.load(storeId), [jobsModel, storeId]);
  const jobs = jobsModel.jobs.value;
  if (jobsModel.error.value) return <p class="error">Jobs: {jobsModel.error.value}</p>;
  if (jobs === null || jobs.length === 0) return null;
  return (
    <>
      <h3>Jobs</h3>
      <table class="nodes jobs">
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Last run</th>
            <th scope="col">Next slot</th>
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
                    {j.doubled.local} ran on {j.doubled.nodes.join(' and ')}
                  </div>
                )}
              </th>
              <td>{lastRunText(j, now)}</td>
              <td>{j.nextSlot?.local ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
