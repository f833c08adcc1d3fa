/**
 * The JSON body each chat robot expects for one alert, as plain data (no I/O, no secrets): the
 * request builder adds URLs and signatures. Bodies stay well inside each vendor's size limit.
 */
import type { AlertMessage } from '#shared/schemas/alert.ts';
import { lines, truncateBytes, truncateChars } from './text-limits.ts';

/** Plenty for an alert; Slack allows 3,000 characters in a section, Feishu 20 KB a request. */
const MAX_TEXT = 2_000;
const MAX_TEAMS_LINES = 40;
/** WeCom refuses markdown content over 4,096 bytes. */
const WECOM_MAX_BYTES = 4_096;

const body = (message: AlertMessage) => truncateChars(message.text, MAX_TEXT);

/** Slack treats &, < and > as control characters in mrkdwn (links, mentions). */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackPayload(message: AlertMessage) {
  const text = `${message.title}\n${body(message)}`;
  return {
    // The notification and fallback text; the section is what the channel shows.
    text: slackEscape(text),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: slackEscape(`*${message.title}*\n${body(message)}`) } }],
  };
}

const TEAMS_COLOR = { critical: 'Attention', warning: 'Warning', info: 'Default' } as const;

export function teamsPayload(message: AlertMessage) {
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: message.title,
              weight: 'Bolder',
              size: 'Medium',
              color: TEAMS_COLOR[message.severity],
              wrap: true,
            },
            // One block a line: Teams joins the lines of a single TextBlock into one paragraph.
            ...lines(body(message))
              .slice(0, MAX_TEAMS_LINES)
              .map((text) => ({ type: 'TextBlock', text, wrap: true, spacing: 'None' })),
            {
              type: 'FactSet',
              facts: [
                {
                  title: 'Store',
                  value: message.region ? `${message.storeName} (${message.region})` : message.storeName,
                },
                { title: 'Severity', value: message.severity },
                { title: 'Opened', value: message.openedAt },
              ],
            },
          ],
        },
      },
    ],
  };
}

export function dingtalkPayload(message: AlertMessage) {
  return {
    msgtype: 'markdown',
    // DingTalk markdown needs a blank line to break a line.
    markdown: { title: message.title, text: [`#### ${message.title}`, ...lines(body(message))].join('\n\n') },
  };
}

export function wecomPayload(message: AlertMessage) {
  return {
    msgtype: 'markdown',
    markdown: { content: truncateBytes(`**${message.title}**\n${body(message)}`, WECOM_MAX_BYTES) },
  };
}

export function feishuPayload(message: AlertMessage) {
  return { msg_type: 'text', content: { text: `${message.title}\n${body(message)}` } };
}
