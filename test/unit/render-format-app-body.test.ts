import { describe, expect, it } from 'vitest';
import { formatAppBody } from '../../src/render/format-app-body.js';

describe('formatAppBody', () => {
  it('pretty-prints JSON with two spaces', () => {
    expect(formatAppBody('{"received":true,"ids":[1,2]}', { contentType: 'application/json; charset=utf-8' })).toEqual([
      '{',
      '  "received": true,',
      '  "ids": [',
      '    1,',
      '    2',
      '  ]',
      '}',
    ]);
  });

  it('pretty-prints JSON sent as text/plain when it parses as an object', () => {
    expect(formatAppBody('{"error":"bad"}', { contentType: 'text/plain' })).toEqual(['{', '  "error": "bad"', '}']);
  });

  it('leaves a bare number or word as text', () => {
    expect(formatAppBody('404')).toEqual(['404']);
    expect(formatAppBody('OK', { contentType: 'text/plain' })).toEqual(['OK']);
  });

  it('shows a body that claims JSON but is not as it is', () => {
    expect(formatAppBody('Webhook Error: No signatures found', { contentType: 'application/json' })).toEqual(['Webhook Error: No signatures found']);
  });

  it('keeps the first lines and says how many more there were', () => {
    const body = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const lines = formatAppBody(body, { maxLines: 12 });
    expect(lines).toHaveLength(13);
    expect(lines[11]).toBe('line 12');
    expect(lines[12]).toBe('… (8 more lines)');
    expect(formatAppBody('a\nb', { maxLines: 1 })).toEqual(['a', '… (1 more line)']);
  });

  it('cuts long lines', () => {
    const [line] = formatAppBody('x'.repeat(500), { maxLineChars: 80 });
    expect(line).toBe(`${'x'.repeat(79)}…`);
  });

  it('notes a body the forwarder cut', () => {
    expect(formatAppBody('partial', { truncated: true })).toEqual(['partial', '… (cut at 64 KiB)']);
    expect(formatAppBody('partial', { truncated: true, maxBodyBytes: 1000 })).toEqual(['partial', '… (cut at 1000 bytes)']);
    const many = Array.from({ length: 15 }, () => 'x').join('\n');
    expect(formatAppBody(many, { truncated: true }).at(-1)).toBe('… (3 more lines, cut at 64 KiB)');
  });

  it('masks secrets the app echoes back', () => {
    const lines = formatAppBody('{"secret":"whsec_abcdefghijklmnop1234","key":"sk_test_abcdefghijklmnopWXYZ"}');
    expect(lines.join('\n')).toContain('"whsec_…1234"');
    expect(lines.join('\n')).toContain('"sk_test_…WXYZ"');
    expect(lines.join('\n')).not.toContain('abcdefghijklmnop');
  });

  it('removes terminal escapes and control characters', () => {
    expect(formatAppBody('\u001b[31mred\u001b[0m\u0007 \u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\\r\nnext\tcol')).toEqual(['red link', 'next  col']);
  });

  it("reduces an HTML error page (Express's) to its text", () => {
    const html =
      '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n' +
      '<pre>SyntaxError: Unexpected token &#39;}&#39;<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)</pre>\n</body>\n</html>\n';
    expect(formatAppBody(html, { contentType: 'text/html; charset=utf-8' })).toEqual(["SyntaxError: Unexpected token '}'", '    at JSON.parse (<anonymous>)']);
  });

  it("leaves text that Express's res.send labelled text/html alone", () => {
    expect(formatAppBody('Webhook Error: a &amp; b <not closed', { contentType: 'text/html; charset=utf-8' })).toEqual(['Webhook Error: a &amp; b <not closed']);
  });

  it('gives no lines for an empty body', () => {
    expect(formatAppBody('')).toEqual([]);
    expect(formatAppBody('\n \n')).toEqual([]);
  });
});
