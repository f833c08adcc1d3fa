import { describe, expect, it } from 'vitest';
import { conninfoAddress, parseConninfo, synchronousNames, walreceiverName } from '#agent/pg/conninfo.ts';
import type { StatusRow } from '#agent/pg/queries.ts';
import { listedAsSynchronous, roundLag, streamSource } from '#agent/pg/replication.ts';
import { parseAddress } from '#agent/tcp-probe.ts';

const row = (over: Partial<StatusRow> = {}): StatusRow => ({
  in_recovery: true,
  read_only: false,
  data_directory: '/var/lib/postgresql/15/main',
  synchronous_standby_names: '',
  primary_conninfo: "user=postgres host=10.0.0.1 port=5433 application_name='store b'",
  cluster_name: '',
  lag_seconds: 0,
  lag_bytes: 0,
  receive_lsn: '0/3000060',
  receiver_status: 'streaming',
  sender_host: null,
  sender_port: null,
  receiver_conninfo: null,
  ...over,
});

describe('libpq connection strings', () => {
  it('reads key=value pairs with quotes, escapes and spaces around =', () => {
    expect(parseConninfo(String.raw`host = db.example port=6543 password='it\'s secret' dbname=a\ b`)).toEqual({
      host: 'db.example',
      port: '6543',
      password: "it's secret",
      dbname: 'a b',
    });
  });

  it('reads URIs, and takes the first of several hosts', () => {
    const info = parseConninfo('postgresql://rep@[fd00::1]:5544/postgres?application_name=b');
    expect(info).toMatchObject({ host: 'fd00::1', port: '5544', user: 'rep', application_name: 'b' });
    expect(conninfoAddress(parseConninfo('host=a,b port=5001,5002'))).toEqual({ host: 'a', port: 5001 });
    expect(conninfoAddress(parseConninfo('host=/var/run/postgresql'))).toEqual({
      host: '/var/run/postgresql',
      port: 5432,
    });
    expect(conninfoAddress({})).toBeNull();
  });

  it('names the walreceiver as the primary sees it', () => {
    expect(walreceiverName({ application_name: 'x', fallback_application_name: 'y' }, 'z')).toBe('x');
    expect(walreceiverName({ fallback_application_name: 'y' }, 'z')).toBe('y');
    expect(walreceiverName({}, 'z')).toBe('z');
    expect(walreceiverName({}, '')).toBe('walreceiver');
  });

  it('parses every form of synchronous_standby_names', () => {
    expect(synchronousNames('')).toEqual([]);
    expect(synchronousNames('Node_B, node_c')).toEqual(['node_b', 'node_c']);
    expect(synchronousNames('FIRST 1 (a, "B")')).toEqual(['a', 'B']);
    expect(synchronousNames('any 2 (a,b,c)')).toEqual(['a', 'b', 'c']);
    expect(synchronousNames('2 (a, b)')).toEqual(['a', 'b']);
    expect(listedAsSynchronous('*', 'anything')).toBe(true);
    expect(listedAsSynchronous('FIRST 1 (Store_B)', 'store_b')).toBe(true);
    expect(listedAsSynchronous('"Store_B"', 'store_b')).toBe(false);
  });

  it('finds the stream source from the live receiver first, else primary_conninfo', () => {
    expect(streamSource(row())).toEqual({ address: { host: '10.0.0.1', port: 5433 }, name: 'store b' });
    const live = row({
      sender_host: '10.0.0.9',
      sender_port: 5432,
      receiver_conninfo: 'host=10.0.0.9 port=5432 fallback_application_name=mw_b',
      cluster_name: 'mw_b',
    });
    expect(streamSource(live)).toEqual({ address: { host: '10.0.0.9', port: 5432 }, name: 'mw_b' });
    expect(streamSource(row({ primary_conninfo: '' })).address).toBeNull();
  });

  it('rounds lag and never reports it negative', () => {
    expect(roundLag(1.23456)).toBe(1.235);
    expect(roundLag(-0.2)).toBe(0);
    expect(roundLag(null)).toBeNull();
  });

  it('parses host:port addresses', () => {
    expect(parseAddress('db.example:5432')).toEqual({ host: 'db.example', port: 5432 });
    expect(parseAddress('[::1]:5432')).toEqual({ host: '::1', port: 5432 });
    expect(parseAddress('db.example')).toBeNull();
    expect(parseAddress('db:99999')).toBeNull();
  });
});
