import preact from '@preact/preset-vite';
import { defineConfig, type WxtViteConfig } from 'wxt';
import pkg from '../package.json' with { type: 'json' };
import { ZH_CN } from './lib/ui-catalog-zh.ts';

/**
 * The preset is typed against the repo's hoisted Vite 8 (vitest's), while WXT 0.21 builds with its
 * own Vite 7. The plugin objects work with both; only their declared types differ, hence this bridge.
 */
const preactPlugins = preact() as unknown as NonNullable<WxtViteConfig['plugins']>;

// Chrome MV3 and Firefox from one source. Run from the repo root: `wxt build extension [-b firefox]`.
export default defineConfig({
  // Explicit imports everywhere: a reader (and tsc) sees where `browser` and `storage` come from.
  imports: false,
  vite: () => ({ plugins: [preactPlugins] }),
  hooks: {
    // Chinese is fetched when chosen (lib/ui-catalog.ts), so neither the background nor the popup carries it.
    'build:publicAssets': (_wxt, files) => {
      files.push({ relativeDest: 'i18n/zh-CN.json', contents: JSON.stringify(ZH_CN) });
    },
  },
  manifest: ({ browser, manifestVersion }) => ({
    // Name and description per browser language, from public/_locales (the UI itself: lib/ui-catalog.ts).
    name: '__MSG_extName__',
    version: pkg.version,
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications'],
    // Host access is asked for one origin at a time, when the server is saved in the options page.
    ...(manifestVersion === 3 ? { optional_host_permissions: ['*://*/*'] } : { optional_permissions: ['*://*/*'] }),
    action: { default_title: 'mirrorwatch' },
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'mirrorwatch@mirrorwatch.dev', strict_min_version: '115.0' } } }
      : {}),
  }),
});
