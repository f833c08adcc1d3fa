import { describe, expect, it } from 'vitest';
import { callerOf, tokenEntries } from '#worker/http/auth.ts';

describe('token values and their names', () => {
  it('reads a name only when the text before the first ":" is a name and a token follows', () => {
    expect(tokenEntries('alice:tok1, bob:t:o:k ,plain,:lead,9lives:x,trail:,a b:c')).toEqual([
      { value: 'alice:tok1', named: { name: 'alice', token: 'tok1' } },
      { value: 'bob:t:o:k', named: { name: 'bob', token: 't:o:k' } },
      { value: 'plain', named: null },
      { value: ':lead', named: null },
      { value: '9lives:x', named: null },
      { value: 'trail:', named: null },
      { value: 'a b:c', named: null },
    ]);
  });

  it('the highest role wins, and a whole value is unnamed while its token part carries the name', () => {
    const env = { ADMIN_TOKEN: 'root:r00t', OPERATOR_TOKEN: 'alice:tok1,shared', VIEWER_TOKEN: 'shared,v' };
    expect(callerOf(env, 'r00t')).toEqual({ role: 'admin', name: 'root' });
    expect(callerOf(env, 'root:r00t')).toEqual({ role: 'admin', name: null });
    expect(callerOf(env, 'tok1')).toEqual({ role: 'operator', name: 'alice' });
    expect(callerOf(env, 'shared')).toEqual({ role: 'operator', name: null });
    expect(callerOf(env, 'v')).toEqual({ role: 'viewer', name: null });
    expect(callerOf(env, 'alice')).toBeNull();
    expect(callerOf(env, '')).toBeNull();
  });
});
