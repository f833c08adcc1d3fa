import type { OptionsModel } from '../../lib/options-model.ts';
import { switchLocale, t } from '../../lib/page-words.ts';
import { browserLanguage, LANGUAGE_SETTINGS, type LanguageSetting, localeFor } from '../../lib/ui-language.ts';

/** Each language named in itself, so a reader who cannot read the current one still finds theirs. */
const NAMES: Record<Exclude<LanguageSetting, 'auto'>, string> = { en: 'English', 'zh-CN': '中文' };

/** Auto (the browser's language), English or 中文; the page switches at once, the choice is kept on Save. */
export function LanguagePicker({ model }: { model: OptionsModel }) {
  return (
    <section class="card" aria-labelledby="language-title">
      <h2 id="language-title">{t('options.language')}</h2>
      <select
        id="language"
        class="field"
        aria-labelledby="language-title"
        value={model.language}
        onChange={(e) => {
          const value = e.currentTarget.value;
          const choice = LANGUAGE_SETTINGS.find((l) => l === value);
          if (choice === undefined) return;
          model.language.value = choice;
          void switchLocale(localeFor(choice, browserLanguage()), document);
        }}
      >
        {LANGUAGE_SETTINGS.map((l) => (
          <option key={l} value={l} lang={l === 'auto' ? undefined : l}>
            {l === 'auto' ? t('options.languageAuto') : NAMES[l]}
          </option>
        ))}
      </select>
    </section>
  );
}
