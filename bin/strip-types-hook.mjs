// Loaded with `--import` when the package is installed under node_modules, where Node refuses to strip
// types itself (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING): this package's .ts files are stripped by
// the same function Node uses, and everything else loads as usual.
import { readFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';

const root = new URL('../', import.meta.url).href;

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith(root) || !url.endsWith('.ts')) return nextLoad(url, context);
    const source = stripTypeScriptTypes(readFileSync(new URL(url), 'utf8'));
    return { format: 'module', source, shortCircuit: true };
  },
});
