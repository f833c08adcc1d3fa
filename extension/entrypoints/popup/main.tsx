import { render } from 'preact';
import { applyDesign } from '../../lib/apply-design.ts';
import { createBackgroundClient } from '../../lib/background-client.ts';
import { createPopupModel } from '../../lib/popup-model.ts';
import { followLanguage } from '../../lib/ui-language.ts';
import { App } from './app.tsx';

applyDesign();
void followLanguage();
const model = createPopupModel(createBackgroundClient());
model.followStorage();
void model.load();
const root = document.getElementById('app');
if (root) render(<App model={model} />, root);
