import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListenError, parseListen } from '../../src/metrics/listen.js';

test('listen addresses: a bare port is localhost, never every interface', () => {
  assert.deepEqual(parseListen('9477'), { host: '127.0.0.1', port: 9477 });
  assert.deepEqual(parseListen(':9477'), { host: '127.0.0.1', port: 9477 });
  assert.deepEqual(parseListen('127.0.0.1:9477'), { host: '127.0.0.1', port: 9477 });
  assert.deepEqual(parseListen('0.0.0.0:9477'), { host: '0.0.0.0', port: 9477 });
  assert.deepEqual(parseListen('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseListen('localhost:65535'), { host: 'localhost', port: 65535 });
});

test('listen addresses: bad ones are a clear error', () => {
  for (const bad of ['', 'host', '1.2.3.4:', '1.2.3.4:65536', '::1:9477', 'a b:1']) {
    assert.throws(() => parseListen(bad), ListenError, bad);
  }
});
