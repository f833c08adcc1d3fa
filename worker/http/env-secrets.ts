/** Whether the Worker has a secret (a non-empty string) or a binding of that name. */
export function hasSecret(env: Env, name: string, binding: boolean): boolean {
  const value: unknown = Reflect.get(env, name);
  return binding ? typeof value === 'object' && value !== null : typeof value === 'string' && value !== '';
}
