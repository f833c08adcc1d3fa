/**
 * The CLI's human output in English: the reference catalog. zh-CN.ts must have every key, with the
 * same `{placeholders}` (test/shared/cli-catalog.test.ts fails otherwise).
 */
export const en = {
  'usage.main': `usage: mirrorwatch <command> [options]

commands:
  config validate <file>           check a fleet config (YAML or JSON) offline
  config diff <file>               what applying it would change, store by store (admin)
  config apply <file> [--yes]      show the diff, ask, then apply it (admin)
  status [--watch] [--json]        every store: status, primary, epoch, lag, since
  events <store> [--limit N] [--type T,…] [--since ISO] [--until ISO] [--cursor C] [--json]
  failover <store> --reason R [--target NODE] [--allow-data-loss]     (operator)
  confirm <store> [--reason R]     confirm a failover that waits for an operator (operator)
  reinstate <store> <node> --reason R                                  (operator)
  maintenance start <store> --reason R (--minutes N | --until ISO) [--start ISO]
  maintenance end <store> [--id WINDOW]                                (operator)
  keys <store> <node|arbiter|hook|job:ID> [--json]   the keys one principal needs
  audit [--limit N] [--cursor C] [--json]            the audit log (admin)
  report --from DATE --to DATE [--region R] [--format csv|json] [--out FILE]

connection: --url, --token, --profile NAME; else MIRRORWATCH_URL, MIRRORWATCH_TOKEN,
  MIRRORWATCH_PROFILE; else ~/.config/mirrorwatch/profiles.json (must be chmod 600)
output: --lang en|zh-CN (default from LC_ALL, LC_MESSAGES, LANG), --no-color, --json where listed
exit codes: 0 ok, 1 the operation failed or was refused, 2 bad usage (nothing sent),
  3 server unreachable, not configured, or the token was refused`,
  'error.prefix': 'mirrorwatch: {message}',
  'error.usageHint': "run 'mirrorwatch --help' for usage",
  'error.unknownCommand': 'unknown command "{command}"',
  'error.badOption': '{message}',
  'error.unknownOption': 'unknown option {option}',
  'error.optionNeedsValue': '{option} needs a value',
  'error.optionNotHere': '{command} does not take {option}',
  'error.missingArgument': '{command} needs {what}',
  'error.extraArgument': 'unexpected argument "{arg}"',
  'error.badNumber': '--{option} must be a whole number from {min} to {max}, not "{value}"',
  'error.badTime': '--{option} must be an ISO date or time such as 2026-11-01 or 2026-11-01T08:00:00Z, not "{value}"',
  'error.badDate': '--{option} must be a date as YYYY-MM-DD, not "{value}"',
  'error.badChoice': '--{option} must be one of {choices}, not "{value}"',
  'error.badLang': '--lang must be en or zh-CN, not "{value}"',
  'error.badId': '"{value}" is not a store or node id (it must match {pattern})',
  'error.noUrl': 'no server URL: pass --url, set MIRRORWATCH_URL, or add a profile to {file}',
  'error.badUrl': 'the server URL "{url}" is not an http:// or https:// URL',
  'error.noToken': 'no token: pass --token, set MIRRORWATCH_TOKEN, or add one to a profile in {file}',
  'error.profileUnsafe': '{file} can be read by other users (mode {mode}): run chmod 600 {file}',
  'error.profileInvalid': '{file} is not a valid profile file: {problem}',
  'error.profileMissing': 'no profile "{name}" in {file}',
  'error.unreachable': 'cannot reach {url}: {cause}; check --url and that the worker is running',
  'error.unauthorized': 'the server refused the token (401): check --token or MIRRORWATCH_TOKEN',
  'error.forbidden': 'this token may not do that (403): {message}; use a token with the {role} role',
  'error.server': 'the server answered {status}: {message}',
  'error.notFound': 'not found: {message}',
  'error.refused': 'refused: {message}',
  'error.invalidRequest': 'the server rejected the request ({status}): {message}',
  'error.notJson':
    'the server answered {status} with something that is not the expected JSON; is {url} a mirrorwatch worker?',
  'error.fileUnreadable': 'cannot read {file}: {cause}',
  'error.notAwaitingConfirm': 'store {store} is not awaiting a confirmation (status: {status}); nothing was sent',
  'error.needsTty': 'refusing to apply without a confirmation: pass --yes (stdin is not a terminal)',
  'error.noReinstateRoute':
    'this server has no reinstate route (POST /api/v1/stores/:id/reinstate); upgrade the worker',
  'error.noReportRoute':
    'this server has no availability report (GET /api/v1/reports/availability); upgrade the worker',
  'error.keys': '{message}',
  'config.valid': '{file}: valid ({stores} store(s))',
  'config.invalid': '{file}: {count} problem(s)',
  'config.problem': '{file}:{line}:{column}  {path}: {message}',
  'config.syntax': '{file}:{line}:{column}  syntax: {message}',
  'config.noChange': 'no change: the server already runs this config',
  'config.firstConfig': 'the server has no config yet: every store is new',
  'config.added': '+ {store}  added',
  'config.changed': '~ {store}  changed: {fields}',
  'config.removed': '- {store}  removed',
  'config.fleetChanged': '~ fleet  changed: {fields}',
  'config.summary': '{added} added, {changed} changed, {removed} removed',
  'config.ask': 'Apply this config to {url}? [y/N] ',
  'config.aborted': 'not applied',
  'config.applied': 'applied: {added} added, {changed} changed, {removed} removed',
  'status.store': 'STORE',
  'status.status': 'STATUS',
  'status.primary': 'PRIMARY',
  'status.epoch': 'EPOCH',
  'status.lag': 'LAG',
  'status.since': 'SINCE',
  'status.none': 'no stores: apply a fleet config first (mirrorwatch config apply <file>)',
  'status.watching': 'Every {seconds} s, Ctrl-C to stop; {at}',
  'status.healthy': 'healthy',
  'status.degraded': 'degraded',
  'status.primary_down': 'primary down',
  'status.awaiting_confirm': 'awaiting confirm',
  'status.failing_over': 'failing over',
  'status.split_brain': 'split brain',
  'status.store_unreachable': 'unreachable',
  'status.maintenance': 'maintenance',
  'status.unknown': 'unknown',
  'events.none': 'no events',
  'events.at': 'AT',
  'events.type': 'TYPE',
  'events.message': 'MESSAGE',
  'failover.accepted': 'failover {id} of {store} accepted: epoch {epoch}, {from} → {to} ({state})',
  'confirm.accepted': 'confirmed: failover {id} of {store}, epoch {epoch}, to {to} ({state})',
  'reinstate.accepted': 'reinstatement of {node} in {store} requested',
  'maintenance.started': 'maintenance window {id} of {store} open until {end}',
  'maintenance.ended': 'maintenance of {store} ended',
  'audit.none': 'no audit entries',
  'audit.at': 'AT',
  'audit.who': 'WHO',
  'audit.action': 'ACTION',
  'audit.store': 'STORE',
  'audit.outcome': 'OUTCOME',
  'audit.what': 'WHAT',
  'list.more': 'more: --cursor {cursor}',
  'report.written': 'report written to {file} ({bytes} bytes)',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof en;
