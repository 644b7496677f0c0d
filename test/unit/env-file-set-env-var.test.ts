import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EnvFileError, UsageError } from '../../src/errors.js';
import { rawValue, scanDotenv, type DotenvAssignment } from '../../src/env-file/scan-dotenv.js';
import { quoteValue, setEnvVar } from '../../src/env-file/set-env-var.js';

const NAME = 'STRIPE_WEBHOOK_SECRET';
const SECRET = 'whsec_new0123456789abcdefABCDEF';

/** The value(s) a reader of the file gets for `name`. */
function valuesOf(text: string, name: string): string[] {
  return scanDotenv(text)
    .filter((entry): entry is DotenvAssignment => entry.kind === 'assignment' && entry.key === name)
    .map((entry) => rawValue(text, entry));
}

describe('setEnvVar: adding', () => {
  it.each([
    ['an empty file', '', `${NAME}=${SECRET}\n`],
    ['a file ending with a newline', 'A=1\n', `A=1\n${NAME}=${SECRET}\n`],
    ['a file without a final newline', 'A=1', `A=1\n${NAME}=${SECRET}\n`],
    ['a CRLF file', 'A=1\r\n# c\r\n', `A=1\r\n# c\r\n${NAME}=${SECRET}\r\n`],
    ['a CRLF file without a final newline', 'A=1\r\nB=2', `A=1\r\nB=2\r\n${NAME}=${SECRET}\r\n`],
    ['a file with only comments and blanks', '# secrets\n\n', `# secrets\n\n${NAME}=${SECRET}\n`],
    ['a file with the name only in a comment', `# ${NAME}=old\n`, `# ${NAME}=old\n${NAME}=${SECRET}\n`],
    ['a file with a longer name that starts the same', `${NAME}_OLD=x\n`, `${NAME}_OLD=x\n${NAME}=${SECRET}\n`],
  ])('to %s', (_shape, before, after) => {
    expect(setEnvVar(before, NAME, SECRET)).toEqual({ text: after, action: 'added' });
  });
});

describe('setEnvVar: updating', () => {
  it.each([
    ['a bare value', `A=1\n${NAME}=whsec_old\nB=2\n`, `A=1\n${NAME}=${SECRET}\nB=2\n`],
    ['an export prefix', `export ${NAME}=whsec_old\n`, `export ${NAME}=${SECRET}\n`],
    ['spaces around =', `${NAME} = whsec_old\n`, `${NAME} = ${SECRET}\n`],
    ['an indented line', `  ${NAME}=whsec_old\n`, `  ${NAME}=${SECRET}\n`],
    ['double quotes', `${NAME}="whsec_old"\n`, `${NAME}="${SECRET}"\n`],
    ['single quotes', `${NAME}='whsec_old'\n`, `${NAME}='${SECRET}'\n`],
    ['an inline comment', `${NAME}=whsec_old # from stripe listen\n`, `${NAME}=${SECRET} # from stripe listen\n`],
    ['an inline comment after quotes', `${NAME}="whsec_old"   # keep\n`, `${NAME}="${SECRET}"   # keep\n`],
    ['an empty value', `${NAME}=\nB=2\n`, `${NAME}=${SECRET}\nB=2\n`],
    ['an empty value and a comment', `${NAME}= # todo\n`, `${NAME}=${SECRET} # todo\n`],
    ['CRLF line endings', `A=1\r\n${NAME}=old\r\nB=2\r\n`, `A=1\r\n${NAME}=${SECRET}\r\nB=2\r\n`],
    ['no final newline', `A=1\n${NAME}=old`, `A=1\n${NAME}=${SECRET}`],
    ['a multi-line quoted value', `${NAME}="line one\nline two"\nB=2\n`, `${NAME}="${SECRET}"\nB=2\n`],
    ['every duplicate', `${NAME}=a\nB=2\nexport ${NAME}='b'\n`, `${NAME}=${SECRET}\nB=2\nexport ${NAME}='${SECRET}'\n`],
    ['a byte-order mark', `\uFEFF${NAME}=old\n`, `\uFEFF${NAME}=${SECRET}\n`],
  ])('keeps %s', (_shape, before, after) => {
    expect(setEnvVar(before, NAME, SECRET)).toEqual({ text: after, action: 'updated' });
  });

  it('leaves a multi-line value of another variable alone', () => {
    const before = `KEY="-----BEGIN-----\n${NAME}=not-a-line\n-----END-----"\n${NAME}=old\n`;
    expect(setEnvVar(before, NAME, SECRET).text).toBe(`KEY="-----BEGIN-----\n${NAME}=not-a-line\n-----END-----"\n${NAME}=${SECRET}\n`);
  });

  it('reports unchanged, and returns the same text, when the value is already there', () => {
    for (const text of [`${NAME}=${SECRET}\n`, `# c\nexport ${NAME}="${SECRET}" # x\r\n`]) {
      expect(setEnvVar(text, NAME, SECRET)).toEqual({ text, action: 'unchanged' });
    }
  });

  it('updates only the stale one of two duplicates', () => {
    const before = `${NAME}=${SECRET}\n${NAME}=old\n`;
    expect(setEnvVar(before, NAME, SECRET)).toEqual({ text: `${NAME}=${SECRET}\n${NAME}=${SECRET}\n`, action: 'updated' });
  });
});

describe('setEnvVar: values that need quotes', () => {
  it.each([
    ['a b', "'a b'"],
    ['a#b', "'a#b'"],
    ['$HOME', "'$HOME'"],
    ["it's", '"it\'s"'],
    [`it's "x"`, "`it's \"x\"`"],
    ['', ''],
    ['plain_value-1.2:3/4=5', 'plain_value-1.2:3/4=5'],
  ])('%j is written as %s', (value, written) => {
    expect(quoteValue(value, '')).toBe(written);
    expect(setEnvVar('', 'X', value).text).toBe(`X=${written}\n`);
    expect(valuesOf(setEnvVar('', 'X', value).text, 'X')).toEqual([value]);
  });

  it('keeps the existing quotes when they can hold the value, else picks ones that can', () => {
    expect(setEnvVar('X="old"\n', 'X', 'a b').text).toBe('X="a b"\n');
    expect(setEnvVar('X="old"\n', 'X', 'a$b').text).toBe("X='a$b'\n");
  });

  it('refuses values it cannot write safely', () => {
    expect(() => setEnvVar('', 'X', 'two\nlines')).toThrow(EnvFileError);
    expect(() => setEnvVar('', 'X', `'"\`\\`)).toThrow(EnvFileError);
    // `$` expands inside double quotes and backticks in some tools, and single quotes cannot hold `'`.
    expect(() => setEnvVar('', 'X', "it's $x")).toThrow(EnvFileError);
  });

  it('refuses a name that is not an environment variable name', () => {
    expect(() => setEnvVar('', '1BAD', 'x')).toThrow(UsageError);
    expect(() => setEnvVar('', 'A-B', 'x')).toThrow(UsageError);
  });
});

const key = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/).filter((k) => k !== NAME);
const bareValue = fc.stringMatching(/^[A-Za-z0-9_./:-]{0,12}$/);
const line = fc.oneof(
  fc.constant(''),
  fc.constant('   '),
  fc.stringMatching(/^#[ -~]{0,20}$/),
  fc.tuple(fc.constantFrom('', 'export ', '  '), key, fc.constantFrom('=', ' = '), bareValue, fc.constantFrom('', ' # note')).map((parts) =>
    parts.join(''),
  ),
  fc.tuple(key, fc.constantFrom('"', "'"), fc.stringMatching(/^[A-Za-z0-9 #=$]{0,12}$/)).map(([k, q, v]) => `${k}=${q}${v}${q}`),
  fc.tuple(key, fc.stringMatching(/^[A-Za-z0-9 ]{0,8}$/), fc.stringMatching(/^[A-Za-z0-9 ]{0,8}$/)).map(([k, a, b]) => `${k}="${a}\n${b}"`),
);
const dotenvFile = fc.tuple(fc.array(line, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([lines, eol, finalEol]) => {
  const body = lines.map((text) => text.replaceAll('\n', eol)).join(eol);
  return finalEol && lines.length > 0 ? body + eol : body;
});
const secret = fc.stringMatching(/^whsec_[A-Za-z0-9]{8,40}$/);

describe('setEnvVar: properties', () => {
  it('adding to a file without the name only appends one line', () => {
    fc.assert(
      fc.property(dotenvFile, secret, (text, value) => {
        const result = setEnvVar(text, NAME, value);
        expect(result.action).toBe('added');
        expect(result.text.startsWith(text)).toBe(true);
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        const separator = text === '' || text.endsWith('\n') ? '' : eol;
        expect(result.text.slice(text.length)).toBe(`${separator}${NAME}=${value}${eol}`);
      }),
    );
  });

  it('updating changes only the value: the text around it is byte-for-byte the same', () => {
    fc.assert(
      fc.property(dotenvFile, dotenvFile, fc.constantFrom('', 'export '), secret, secret, (before, after, prefix, old, value) => {
        fc.pre(old !== value);
        const separator = before === '' || before.endsWith('\n') ? '' : '\n';
        const text = `${before}${separator}${prefix}${NAME}=${old}\n${after}`;
        const result = setEnvVar(text, NAME, value);
        expect(result).toEqual({ text: `${before}${separator}${prefix}${NAME}=${value}\n${after}`, action: 'updated' });
      }),
    );
  });

  it('is idempotent, and a reader gets the value back', () => {
    fc.assert(
      fc.property(dotenvFile, secret, (text, value) => {
        const once = setEnvVar(text, NAME, value).text;
        expect(setEnvVar(once, NAME, value)).toEqual({ text: once, action: 'unchanged' });
        expect(valuesOf(once, NAME)).toEqual([value]);
      }),
    );
  });
});
