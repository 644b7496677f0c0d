/**
 * Stripe amounts are integers in the currency's minor unit, and Stripe's idea of the minor unit is
 * not always ISO 4217's (ISK and HUF, for example, are two-decimal in the API). So the divisor
 * comes from Stripe's own lists, and Intl only supplies the symbol and grouping.
 * https://docs.stripe.com/currencies#zero-decimal
 */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

// Intl formats any well-formed code ("XYZ 20.00"); only codes it knows get a currency rendering.
// Both are built on first use: ICU is slow to start, and most runs print a handful of amounts.
let knownCurrencies: Set<string> | undefined;
const formats = new Map<string, Intl.NumberFormat>();

export function minorUnitDigits(currency: string): number {
  const code = currency.toLowerCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** `formatAmount(2000, 'usd')` → `$20.00`; `(2000, 'jpy')` → `¥2,000`; unknown codes → `2000 xyz`. */
export function formatAmount(amount: number, currency: string | undefined): string {
  if (!Number.isFinite(amount)) return String(amount);
  if (currency === undefined || currency === '') return String(amount);
  const code = currency.toLowerCase();
  const common = formatCommon(amount, code);
  if (common !== undefined) return common;
  knownCurrencies ??= new Set(Intl.supportedValuesOf('currency').map((known) => known.toLowerCase()));
  if (!knownCurrencies.has(code)) return `${amount} ${currency}`;
  const digits = minorUnitDigits(code);
  let format = formats.get(code);
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code.toUpperCase(), minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(code, format);
  }
  return format
    .format(amount / 10 ** digits)
    // Intl separates a code prefix with a no-break space; a plain one keeps output greppable.
    .replace(/\u00a0/g, ' ');
}

/**
 * The currencies most test events carry, formatted as Intl's en-US currency style does (a property
 * test holds the two together) without Intl: its first use loads ICU data, ~10 ms on the main
 * thread just as the first event of a session arrives.
 */
const COMMON_SYMBOLS: Readonly<Record<string, string>> = { usd: '$', eur: '€', gbp: '£' };

function formatCommon(amount: number, code: string): string | undefined {
  const symbol = COMMON_SYMBOLS[code];
  if (symbol === undefined || !Number.isSafeInteger(amount)) return undefined;
  const units = Math.abs(amount);
  const major = String(Math.floor(units / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const minor = String(units % 100).padStart(2, '0');
  return `${amount < 0 ? '-' : ''}${symbol}${major}.${minor}`;
}
