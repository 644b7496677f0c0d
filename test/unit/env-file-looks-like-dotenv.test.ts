import { describe, expect, it } from 'vitest';
import { explainNotDotenv, looksLikeDotenv } from '../../src/env-file/looks-like-dotenv.js';

describe('looksLikeDotenv', () => {
  it.each([
    ['an empty file', ''],
    ['blank lines and comments only', '# nothing yet\n\n   \n'],
    ['plain assignments', 'A=1\nB=two words\nC=\n'],
    ['export prefixes and spaces around =', 'export A=1\nB = 2\n  C=3\n'],
    ['quoted values with # and =', `A="x # y"\nB='a=b'\nC=\`q\`\n`],
    ['inline comments', 'A=1 # one\nB="2" # two\n'],
    ['a multi-line quoted value', 'KEY="-----BEGIN KEY-----\nabc: def\n{ not json }\n-----END KEY-----"\nNEXT=1\n'],
    ['CRLF line endings and a BOM', '\uFEFFA=1\r\n# c\r\nB=2\r\n'],
    ['tabs in values', 'A=a\tb\n'],
  ])('accepts %s', (_shape, text) => {
    expect(explainNotDotenv(text)).toBeUndefined();
    expect(looksLikeDotenv(text)).toBe(true);
  });

  it.each([
    ['JSON', '{\n  "STRIPE_WEBHOOK_SECRET": "whsec_x"\n}\n', 'line 1 is not NAME=value; the file looks like JSON'],
    ['a JSON array', '[1, 2]\n', 'line 1 is not NAME=value; the file looks like JSON'],
    ['YAML', 'stripe:\n  secret: whsec_x\n', 'line 1 is not NAME=value; the file looks like YAML'],
    ['YAML with a document marker', '---\nA: 1\n', 'line 1 is not NAME=value; the file looks like YAML'],
    ['YAML key: value (which npm dotenv would accept)', 'A=1\nSECRET: whsec_x\n', 'line 2 is not NAME=value; the file looks like YAML'],
    ['JavaScript', "import x from 'y';\nexport default x;\n", 'line 1 is not NAME=value; the file looks like code'],
    ['CommonJS', 'module.exports = { a: 1 };\n', 'line 1 is not NAME=value; the file looks like code'],
    ['a TypeScript const', 'const A = 1;\n', 'line 1 is not NAME=value; the file looks like code'],
    ['an INI section', '[default]\nA=1\n', 'line 1 is not NAME=value; the file looks like INI'],
    ['a bare word', 'A=1\nhello\n', 'line 2 is not NAME=value'],
    ['a name with a dot (a .properties file)', 'spring.datasource.url=jdbc:x\n', 'line 1 is not NAME=value'],
    ['a name starting with a digit', '1A=1\n', 'line 1 is not NAME=value'],
    ['binary data', 'A=1\n\u0000\u0001\u0002', 'it contains binary data'],
    ['undecodable bytes', 'A=\uFFFD\n', 'it contains binary data'],
  ])('rejects %s', (_shape, text, reason) => {
    expect(explainNotDotenv(text)).toBe(reason);
    expect(looksLikeDotenv(text)).toBe(false);
  });

  it('never quotes the offending line (it may hold a password)', () => {
    expect(explainNotDotenv('postgres://user:hunter2@db/app\n')).not.toContain('hunter2');
  });
});
