import { describe, expect, it } from 'vitest';
import { contactAgeSeconds, initialContact, nextContact, receiverSample } from '#agent/pg/receiver-contact.ts';
import { NO_REPLIES, nextReplies, type ReplyRow } from '#agent/pg/standby-replies.ts';

const row = (reply_time: string, pid = 10, name = 'b'): ReplyRow => ({ pid, name, reply_time });

describe("the primary's standby replies", () => {
  it('dates nothing on the first poll: a reply_time seen once could be any age', () => {
    expect(nextReplies(NO_REPLIES, 1000, [row('t1')]).replyAt).toBeNull();
  });

  it('dates a changed reply_time at the previous poll, the earlier bound', () => {
    const first = nextReplies(NO_REPLIES, 1000, [row('t1')]);
    expect(nextReplies(first, 2000, [row('t2')]).replyAt).toBe(1000);
  });

  it('dates nothing new while reply_time stands still, however long the walsender lingers', () => {
    let t = nextReplies(NO_REPLIES, 1000, [row('t1')]);
    t = nextReplies(t, 2000, [row('t2')]);
    for (let at = 3000; at < 60_000; at += 1000) t = nextReplies(t, at, [row('t2')]);
    expect(t.replyAt).toBe(1000);
  });

  it('dates a standby that appeared since the previous poll at that poll', () => {
    const first = nextReplies(NO_REPLIES, 1000, []);
    expect(nextReplies(first, 2000, [row('t1', 11)]).replyAt).toBe(1000);
  });

  it('after a failed poll, dates against the last poll that succeeded', () => {
    const first = nextReplies(NO_REPLIES, 1000, [row('t1')]);
    // 2000: the poll failed, so nextReplies was not called.
    expect(nextReplies(first, 3000, [row('t2')]).replyAt).toBe(1000);
  });

  it('counts only the named standbys when a list is given', () => {
    const first = nextReplies(NO_REPLIES, 1000, [row('t1', 10, 'archiver'), row('t1', 11, 'b')], ['b']);
    const next = nextReplies(first, 2000, [row('t2', 10, 'archiver'), row('t1', 11, 'b')], ['b']);
    expect(next.replyAt).toBeNull();
  });
});

describe("a standby's contact age", () => {
  it('is 0 while a receiver runs, streaming or not', () => {
    const c = nextContact(initialContact(0), { kind: 'running' }, 5000);
    expect(contactAgeSeconds(c, 9000)).toBe(0);
  });

  it('counts from the first sample that found the receiver gone (it may have lived until then)', () => {
    let c = nextContact(initialContact(0), { kind: 'running' }, 1000);
    c = nextContact(c, { kind: 'gone', receiveLsn: '0/10' }, 2000);
    c = nextContact(c, { kind: 'gone', receiveLsn: '0/10' }, 3000);
    expect(contactAgeSeconds(c, 7000)).toBe(5);
  });

  it('counts a receive position that moved while gone as a reconnection between samples', () => {
    let c = nextContact(initialContact(0), { kind: 'gone', receiveLsn: '0/10' }, 1000);
    c = nextContact(c, { kind: 'gone', receiveLsn: '0/10' }, 2000);
    c = nextContact(c, { kind: 'gone', receiveLsn: '0/20' }, 3000);
    expect(contactAgeSeconds(c, 4000)).toBe(1);
  });

  it('counts a database that did not answer as contact (unsure: overstate)', () => {
    let c = nextContact(initialContact(0), { kind: 'gone', receiveLsn: '0/10' }, 1000);
    c = nextContact(c, { kind: 'unknown' }, 8000);
    expect(contactAgeSeconds(c, 8000)).toBe(0);
  });

  it('does not count a receiver still starting (the primary down, retried every interval) as contact', () => {
    expect(receiverSample('starting', '0/10')).toEqual({ kind: 'gone', receiveLsn: '0/10' });
    expect(receiverSample(null, '0/10')).toEqual({ kind: 'gone', receiveLsn: '0/10' });
    for (const status of ['streaming', 'waiting', 'restarting', 'stopping']) {
      expect(receiverSample(status, '0/10')).toEqual({ kind: 'running' });
    }
    let c = nextContact(initialContact(0), { kind: 'running' }, 1000);
    for (let at = 2000; at <= 9000; at += 1000) c = nextContact(c, receiverSample('starting', '0/10'), at);
    expect(contactAgeSeconds(c, 9000)).toBe(7);
  });

  it('rounds the age down, never up', () => {
    let c = nextContact(initialContact(0), { kind: 'gone', receiveLsn: null }, 1000);
    c = nextContact(c, { kind: 'gone', receiveLsn: null }, 2000);
    expect(contactAgeSeconds(c, 3999)).toBe(2.9);
  });
});
