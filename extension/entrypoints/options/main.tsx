import { render } from 'preact';
import { applyDesign } from '../../lib/apply-design.ts';
import { createBackgroundClient } from '../../lib/background-client.ts';
import { createOptionsModel } from '../../lib/options-model.ts';
import { followLanguage } from '../../lib/page-words.ts';
import { App } from './app.tsx';

applyDesign();
const model = createOptionsModel({ client: createBackgroundClient() });
void model.load();
// The first render is in the chosen language: its words are loaded before it.
void followLanguage().finally(() => {
  const root = document.getElementById('app');
  if (root) render(<App model={model} />, root);
});
