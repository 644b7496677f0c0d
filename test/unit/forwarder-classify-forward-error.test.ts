import { describe, expect, it } from 'vitest';
import { classifyForwardError } from '../../src/forwarder/classify-forward-error.js';

const url = 'http://localhost:3000/webhook';
const context = { url, timeoutMs: 30_000 };

function coded(code: string, message = `${code} happened`): Error {
  return Object.assign(new Error(message), { code });
}

describe('classifyForwardError', () => {
  it('calls our own abort a timeout and names the limit', () => {
    expect(classifyForwardError(new Error('aborted'), { ...context, timedOut: true })).toEqual({
      status: 'failed',
      kind: 'timeout',
      message: 'No response from localhost:3000 within 30 s (--forward-timeout)',
    });
  });

  it.each(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT'])('calls %s a timeout', (code) => {
    expect(classifyForwardError(coded(code), context).kind).toBe('timeout');
  });

  it('reports connection refused with host and port', () => {
    expect(classifyForwardError(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:3000'), context)).toEqual({
      status: 'failed',
      kind: 'connection-refused',
      message: 'Connection refused: nothing is listening at localhost:3000',
    });
  });

  it('finds the code inside an AggregateError (localhost tried on IPv6 and IPv4)', () => {
    const error = new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')], 'all failed');
    expect(classifyForwardError(error, context).kind).toBe('connection-refused');
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN'])('calls %s a DNS failure and names the host', (code) => {
    expect(classifyForwardError(coded(code), { ...context, url: 'http://host.docker.internal:3000/webhook' })).toEqual({
      status: 'failed',
      kind: 'dns',
      message: `Host not found: host.docker.internal (${code})`,
    });
  });

  it.each(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'])('suggests --insecure for %s', (code) => {
    const failure = classifyForwardError(coded(code, 'self-signed certificate'), context);
    expect(failure).toEqual({ status: 'failed', kind: 'tls', message: `TLS error: self-signed certificate (${code}). For a self-signed local certificate, pass --insecure` });
  });

  it.each(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'ERR_SSL_SOMETHING_NEW'])('calls %s a TLS failure', (code) => {
    const failure = classifyForwardError(coded(code, 'certificate problem\nsecond line'), context);
    expect(failure).toMatchObject({ kind: 'tls', message: `TLS error: certificate problem (${code}). For a self-signed local certificate, pass --insecure` });
  });

  it('recognises an https:// URL pointed at a plain HTTP port', () => {
    const error = coded('ERR_SSL_WRONG_VERSION_NUMBER', '80EC…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number');
    expect(classifyForwardError(error, context).message).toBe(
      'TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER): the app seems to speak plain HTTP on that port; use an http:// URL',
    );
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET'])('calls %s a reset', (code) => {
    expect(classifyForwardError(coded(code), context)).toEqual({
      status: 'failed',
      kind: 'reset',
      message: `localhost:3000 closed the connection without answering (${code})`,
    });
  });

  it('keeps anything else as other, with its code, its first line and secrets masked', () => {
    expect(classifyForwardError(coded('UND_ERR_WEIRD', 'weird whsec_abcdefghijklmnop1234\nstack'), context)).toEqual({
      status: 'failed',
      kind: 'other',
      message: 'UND_ERR_WEIRD: weird whsec_…1234',
    });
    expect(classifyForwardError('a string', context)).toEqual({ status: 'failed', kind: 'other', message: 'a string' });
  });

  it('spells out the default port of the scheme', () => {
    expect(classifyForwardError(coded('ECONNREFUSED'), { ...context, url: 'https://app.test/hook' }).message).toContain('app.test:443');
  });
});
