/** Every command the CLI knows, by the name typed after `mirrorwatch`. */
import type { Command } from '../context.ts';
import { audit } from './audit.ts';
import { configApply, configDiff, configValidate } from './config.ts';
import { events } from './events.ts';
import { keys } from './keys.ts';
import { maintenanceEnd, maintenanceStart } from './maintenance.ts';
import { report } from './report.ts';
import { status } from './status.ts';
import { confirm, failover, reinstate } from './store-actions.ts';

export const COMMANDS: readonly Command[] = [
  configValidate,
  configDiff,
  configApply,
  status,
  events,
  failover,
  confirm,
  reinstate,
  maintenanceStart,
  maintenanceEnd,
  keys,
  audit,
  report,
];
