/**
 * The one design language of the popup, the options page and the public status page (issue 17):
 * colour tokens for light and dark, a type scale and a spacing scale, and the few components all
 * three share (status pills, buttons, figures that never wrap). Emitted as CSS text so the worker
 * can inline it and the extension can install it; every text colour pair here passes WCAG AA
 * (test/shared/design-tokens.test.ts proves it).
 */
import { TONES, type Tone } from '../status-words.ts';

export interface ToneColours {
  /** Pill background and the text on it. */
  bg: string;
  fg: string;
  /** A solid mark (a dot, a day on the bar, the favicon). */
  solid: string;
}

export interface Theme {
  bg: string;
  surface: string;
  fg: string;
  muted: string;
  line: string;
  accent: string;
  onAccent: string;
  danger: string;
  onDanger: string;
  tones: Record<Tone, ToneColours>;
}

export const LIGHT: Theme = {
  bg: '#ffffff',
  surface: '#f6f8fa',
  fg: '#1f2328',
  muted: '#57606a',
  line: '#d0d7de',
  accent: '#0757b8',
  onAccent: '#ffffff',
  danger: '#b3202b',
  onDanger: '#ffffff',
  tones: {
    ok: { bg: '#dafbe1', fg: '#0f5323', solid: '#1a7f37' },
    warn: { bg: '#fff1c2', fg: '#6b4200', solid: '#bf8700' },
    bad: { bg: '#ffe2e0', fg: '#9a0e22', solid: '#cf222e' },
    info: { bg: '#ddf4ff', fg: '#0a4a9e', solid: '#0969da' },
    muted: { bg: '#eaeef2', fg: '#424a53', solid: '#8c959f' },
  },
};

export const DARK: Theme = {
  bg: '#0f1216',
  surface: '#171b21',
  fg: '#e6edf3',
  muted: '#9ba6b2',
  line: '#30363d',
  accent: '#4493f8',
  onAccent: '#0b1220',
  danger: '#f26b6b',
  onDanger: '#1a0505',
  tones: {
    ok: { bg: '#12351f', fg: '#7ee2a0', solid: '#2ea043' },
    warn: { bg: '#3a2a06', fg: '#f2cc60', solid: '#d29922' },
    bad: { bg: '#4a1419', fg: '#ffa19c', solid: '#f85149' },
    info: { bg: '#0c2d55', fg: '#9ccdff', solid: '#388bfd' },
    muted: { bg: '#272d35', fg: '#c0c8d1', solid: '#6e7781' },
  },
};

function vars(t: Theme): string {
  const tones = TONES.map((n) => `--${n}-bg:${t.tones[n].bg};--${n}-fg:${t.tones[n].fg};--${n}:${t.tones[n].solid}`);
  return [
    `--bg:${t.bg};--surface:${t.surface};--fg:${t.fg};--muted:${t.muted};--line:${t.line}`,
    `--accent:${t.accent};--on-accent:${t.onAccent};--danger:${t.danger};--on-danger:${t.onDanger}`,
    ...tones,
  ].join(';');
}

/** Type scale (a 1.2 ratio from 14 px) and spacing (4 px steps), the same on every surface. */
const SCALE =
  '--fs-s:12px;--fs-m:14px;--fs-l:17px;--fs-xl:20px;--fs-xxl:28px;--sp-1:4px;--sp-2:8px;--sp-3:12px;--sp-4:16px;--sp-5:24px;--radius:8px;--font:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","PingFang SC","Microsoft YaHei",sans-serif';

const COMPONENTS = `
*,*::before,*::after{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:var(--fs-m)/1.5 var(--font)}
a{color:var(--accent)}
.pill{display:inline-block;padding:2px var(--sp-2);border-radius:999px;font-size:var(--fs-s);font-weight:600;line-height:1.5;white-space:nowrap;text-align:center}
${TONES.map((n) => `.pill.${n}{background:var(--${n}-bg);color:var(--${n}-fg)}`).join('')}
.dot{display:inline-block;width:.6em;height:.6em;border-radius:50%;background:currentColor}
.figure{white-space:nowrap;font-variant-numeric:tabular-nums}
.muted{color:var(--muted)}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:var(--sp-1);min-height:32px;padding:0 var(--sp-3);border:1px solid var(--line);border-radius:6px;background:var(--surface);color:var(--fg);font:600 var(--fs-m)/1 var(--font);cursor:pointer;text-decoration:none;white-space:nowrap}
.btn:hover{border-color:var(--muted)}
.btn:focus-visible,.field:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
.btn:disabled{opacity:.55;cursor:not-allowed}
.btn.primary{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}
.btn.danger{background:var(--danger);border-color:var(--danger);color:var(--on-danger)}
.btn.quiet{background:none;border-color:transparent;color:var(--accent)}
.field{width:100%;padding:6px var(--sp-2);border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);font:inherit}
.card{border:1px solid var(--line);border-radius:var(--radius);background:var(--surface)}
`;

/** The whole shared stylesheet: tokens for light, their dark counterparts, then the shared components. */
export function designCss(): string {
  return `:root{color-scheme:light dark;${SCALE};${vars(LIGHT)}}@media (prefers-color-scheme:dark){:root{${vars(DARK)}}}${COMPONENTS}`;
}

/** A 16×16 SVG favicon: a dot in the solid colour of the worst tone, as a data: URL. */
export function faviconHref(tone: Tone): string {
  const svg = `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='7' fill='${LIGHT.tones[tone].solid}'/></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}
