/** Signed hooks: callers prove themselves with HOOK_SECRET signatures, not tokens. */
import { routeGroup } from '../http/route-group.ts';
import { requireSignature } from '../http/signed.ts';
import { agentPush } from './agent-push.ts';
import { hookFailover } from './failover.ts';

export const hookRoutes = routeGroup({ kind: 'signed' }, requireSignature);

hookRoutes.post('/hooks/v1/failover', hookFailover);
hookRoutes.post('/hooks/v1/agent/:storeId', agentPush);
