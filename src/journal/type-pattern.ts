import { UsageError } from '../errors.js';

/**
 * `--type`: event types or globs, comma-separated: `invoice.*`, `*.succeeded`, `charge.refund*`.
 * `*` matches any run of characters (dots included); nothing else is special.
 */
export function parseTypePattern(input: string): (type: string | null) => boolean {
  const parts = input.split(',').map((part) => part.trim());
  const bad = parts.find((part) => !/^[a-z0-9_.*]+$/i.test(part));
  if (bad !== undefined) {
    throw new UsageError(`--type takes event types or globs such as invoice.* (got "${bad === '' ? input : bad}").`, {
      hint: 'Letters, digits, "_", "." and "*" only; separate several with commas: --type "invoice.*,charge.failed"',
    });
  }
  const pattern = new RegExp(`^(?:${parts.map((part) => part.replace(/\./g, '\\.').replace(/\*/g, '.*')).join('|')})$`);
  return (type) => type !== null && pattern.test(type);
}
