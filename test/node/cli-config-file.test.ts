/** `config validate`'s core: the worker's own schema, every problem pinned to its path and line. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkConfigText } from '#cli/config-file.ts';

const BAD_YAML = `version: 1
stores:
  - id: Bad_ID
    name: One
    activeEndpoint: ftp://x
    colour: red
    nodes:
      - { id: one-a, url: "http://a:1" }
  - id: two
    name: Two
    activeEndpoint: http://two:1
    nodes:
      - { id: two-a, url: "http://a:1" }
      - { id: two-a, url: "http://b:1" }
`;

describe('config file check', () => {
  it('accepts the README example fleet', () => {
    const check = checkConfigText(readFileSync('docs/fleet.example.yaml', 'utf8'), 'fleet.example.yaml');
    expect(check.ok && check.config.stores.map((s) => s.id)).toEqual(['gz-tianhe', 'sh-jingan', 'sg-orchard']);
  });

  it('the README shows that same file (after its two comment lines)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = /\*\*A whole fleet in YAML\*\*[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    const file = readFileSync('docs/fleet.example.yaml', 'utf8').split('\n').slice(2).join('\n');
    expect(block).toBe(file);
  });

  it('lists every problem of a YAML file with its path and line, in file order', () => {
    const check = checkConfigText(BAD_YAML, 'fleet.yaml');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => [p.line, p.path, p.message])).toEqual([
      [3, 'stores[0].id', 'must match ^[a-z0-9][a-z0-9-]{0,63}$'],
      [5, 'stores[0].activeEndpoint', 'must be an http:// or https:// URL'],
      [6, 'stores[0].colour', 'unknown field "colour"'],
      [8, 'stores[0].nodes', 'a store needs at least 2 nodes'],
      [14, 'stores[1].nodes[1].id', 'duplicate node id "two-a"'],
    ]);
    expect(check.problems[2]?.column).toBe(5);
  });

  it('points a JSON file at its lines too', () => {
    const json = '{\n  "version": 1,\n  "stores": [],\n  "defaults": {\n    "intervalSeconds": 0\n  }\n}\n';
    const check = checkConfigText(json, 'fleet.json');
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.problems.map((p) => [p.line, p.path])).toEqual([[5, 'defaults.intervalSeconds']]);
  });

  it('a missing field points at the object that lacks it', () => {
    const check = checkConfigText('version: 1\nstores:\n  - id: x\n    name: X\n', 'f.yaml');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.problems.map((p) => [p.line, p.path])).toEqual([
      [3, 'stores[0].activeEndpoint'],
      [3, 'stores[0].nodes'],
    ]);
  });

  it('reports syntax errors with their line, YAML and JSON, and nothing else', () => {
    const yaml = checkConfigText('version: 1\nstores:\n  - id: a\n   name: b\n', 'f.yaml');
    expect(yaml.ok === false && yaml.syntax && yaml.problems[0]?.line).toBe(4);
    const json = checkConfigText('{\n  "version": 1,\n  "stores": [,]\n}', 'f.json');
    expect(json.ok === false && json.syntax && json.problems[0]?.line).toBe(3);
  });

  it('refuses a YAML key given twice rather than keeping the last', () => {
    const check = checkConfigText('version: 1\nversion: 1\nstores: []\n', 'f.yaml');
    expect(check.ok === false && check.syntax && check.problems[0]?.line).toBe(2);
  });
});
