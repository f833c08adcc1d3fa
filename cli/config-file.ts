/**
 * Reads a fleet config file (YAML or JSON) and checks it with the worker's own schema
 * (shared/schemas/config.ts), pinning every problem to its path and its line: offline, so a config
 * can be checked in CI before anyone holds an admin token.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { FleetConfig } from '#shared/schemas/config.ts';

export interface ConfigProblem {
  /** `stores[0].nodes[1].url`; empty for the file itself (a syntax error). */
  path: string;
  message: string;
  line: number;
  column: number;
}

export type ConfigCheck = { ok: true; config: FleetConfig } | { ok: false; syntax: boolean; problems: ConfigProblem[] };

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** The deepest node of `path` the document has (a missing key points at the map that lacks it). */
function nodeAt(root: unknown, path: readonly PropertyKey[], wantKey: boolean): Node | null {
  let node = root as Node | null;
  for (const [i, seg] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === seg);
      if (!pair) return node;
      const last = i === path.length - 1;
      node = ((last && wantKey ? pair.key : (pair.value ?? pair.key)) as Node | null) ?? node;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg] as Node;
    } else return node;
  }
  return node;
}

function issuesOf(error: z.ZodError): Array<{ path: PropertyKey[]; message: string; key: boolean }> {
  return error.issues.flatMap(
    (issue): Array<{ path: PropertyKey[]; message: string; key: boolean }> =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => ({ path: [...issue.path, k], message: `unknown field "${k}"`, key: true }))
        : [{ path: [...issue.path], message: issue.message, key: false }],
  );
}

/** V8 does not always say where JSON broke; the YAML parser's own error then gives the place. */
function jsonSyntax(text: string, error: unknown, yamlAt: number | undefined): ConfigProblem {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const at = Number(/position (\d+)/.exec(message)?.[1] ?? yamlAt ?? 0);
  const before = text.slice(0, at).split('\n');
  return { path: '', message, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

export function checkConfigText(text: string, fileName: string): ConfigCheck {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  let value: unknown;
  if (fileName.toLowerCase().endsWith('.json')) {
    try {
      value = JSON.parse(text);
    } catch (e) {
      return { ok: false, syntax: true, problems: [jsonSyntax(text, e, doc.errors[0]?.pos[0])] };
    }
  } else {
    if (doc.errors.length > 0) {
      const problems = doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { path: '', message: e.message.split('\n')[0] ?? e.code, line: pos.line, column: pos.col };
      });
      return { ok: false, syntax: true, problems };
    }
    value = doc.toJS();
  }
  const parsed = FleetConfig.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = issuesOf(parsed.error).map(({ path, message, key }) => {
    const node = doc.errors.length === 0 ? nodeAt(doc.contents, path, key) : null;
    const pos = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    return { path: formatPath(path) || '(root)', message, line: pos.line, column: pos.col };
  });
  problems.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: false, syntax: false, problems };
}
