/** Starts the stand-in agents once for the Workers tests and hands their addresses over. */
import type { TestProject } from 'vitest/node';
import { startStandIns } from './stand-in-agents.ts';

export default async function setup(project: TestProject) {
  const standIns = await startStandIns();
  project.provide('standIns', {
    baseUrl: standIns.baseUrl,
    refusedUrl: standIns.refusedUrl,
    tcpOpen: standIns.tcpOpen,
    tcpRefused: standIns.tcpRefused,
  });
  return () => standIns.close();
}
