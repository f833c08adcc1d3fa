/**
 * Every word of the incident notes and the incident feed, in English and Chinese (issue 18), in
 * one place: the status page's notes and the Atom feed (`?lang=`) read them from here.
 */
import type { Locale } from './i18n/locale.ts';
import type { NoteState } from './schemas/incident-notes.ts';

export interface IncidentWords {
  state: Record<NoteState, string>;
  /** A note posted without a state. */
  update: string;
  feedTitle: string;
  /** `{region}` is the region's name. */
  feedRegionTitle: string;
  started: string;
  ended: string;
  ongoing: string;
  author: string;
  /** What joins the store, the note's state and the title in an entry's title. */
  colon: string;
}

export const INCIDENT_WORDS: Record<Locale, IncidentWords> = {
  en: {
    state: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' },
    update: 'Update',
    feedTitle: 'Store status: incidents',
    feedRegionTitle: 'Store status: incidents in {region}',
    started: 'Started',
    ended: 'Ended',
    ongoing: 'Ongoing',
    author: 'Store status',
    colon: ': ',
  },
  'zh-CN': {
    state: { investigating: '调查中', identified: '已查明原因', monitoring: '观察中', resolved: '已解决' },
    update: '更新',
    feedTitle: '门店状态：事件',
    feedRegionTitle: '门店状态：{region}的事件',
    started: '开始',
    ended: '结束',
    ongoing: '进行中',
    author: '门店状态',
    colon: '：',
  },
};

/** The words as flat catalog entries, for the test that holds both languages to the same keys. */
export function incidentEntries(w: IncidentWords): Record<string, string> {
  const { state, ...rest } = w;
  return { ...rest, ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`state.${k}`, v])) };
}
