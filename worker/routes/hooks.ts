/** Signed hooks: callers prove themselves with HOOK_SECRET signatures, not tokens. */
import { requireSignatureOrJobToken } from '../http/job-token.ts';
import { routeGroup } from '../http/route-group.ts';
import { requireSignature } from '../http/signed.ts';
import { agentPush } from './agent-push.ts';
import { hookFailover } from './failover.ts';
import { heartbeat } from './heartbeat.ts';

export const hookRoutes = routeGroup({ kind: 'signed' }, requireSignature);

hookRoutes.post('/hooks/v1/failover', hookFailover);
hookRoutes.post('/hooks/v1/agent/:storeId', agentPush);

/** Same audience (signed callers), one more way in: the job's own token (see job-token.ts). */
export const heartbeatRoutes = routeGroup({ kind: 'signed', jobToken: true }, requireSignatureOrJobToken);
heartbeatRoutes.post('/hooks/v1/heartbeat/:storeId/:jobId', heartbeat);
