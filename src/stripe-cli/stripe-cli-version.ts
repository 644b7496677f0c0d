/**
 * Reading and comparing Stripe CLI versions. Pure: the caller runs the binary.
 */

/**
 * The oldest Stripe CLI that accepts everything webhook-dev passes to `stripe listen`.
 *
 * `--api-base` (hidden), `--skip-update` and `--events` are years old; the newest thing we rely on
 * is `--all-snapshot`. It was added on the CLI's `v2` branch by stripe/stripe-cli#1765 (July 2026,
 * commit 2d015083) and ported to the v1 line by stripe/stripe-cli#2006 (September 2026), whose
 * description says it "ships in a v1 minor release". No v1.50.x tag contains the commit, so the
 * first release with the flag is 1.51.0. From that release on, `--forward-to` also *requires*
 * `--events`, `--all-snapshot` or `--all-thin`, so older CLIs would need different argv; supporting
 * both is not worth it while the bundled binary (@stripe/cli) is always new enough.
 */
export const MIN_STRIPE_CLI_VERSION = '1.51.0';

/** A build from source reports `stripe version master`; it is as new as its checkout. */
export const DEV_BUILD_VERSION = 'master';

const VERSION_LINE = /stripe version v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?|master)\b/;

/** `stripe version 1.52.0\n…` → '1.52.0'; undefined when the output is not the Stripe CLI's. */
export function parseStripeVersion(output: string): string | undefined {
  return VERSION_LINE.exec(output)?.[1];
}

interface ParsedVersion {
  numbers: [number, number, number];
  prerelease: string | undefined;
}

function splitVersion(version: string): ParsedVersion {
  const [core = '', prerelease] = version.replace(/^v/, '').split(/-(.*)/s, 2);
  const [major = 0, minor = 0, patch = 0] = core.split('.').map((part) => Number.parseInt(part, 10) || 0);
  return { numbers: [major, minor, patch], prerelease: prerelease || undefined };
}

/** Negative when a < b, 0 when equal, positive when a > b. A prerelease sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const left = splitVersion(a);
  const right = splitVersion(b);
  for (let index = 0; index < 3; index += 1) {
    const difference = left.numbers[index]! - right.numbers[index]!;
    if (difference !== 0) return Math.sign(difference);
  }
  if (left.prerelease === right.prerelease) return 0;
  if (left.prerelease === undefined) return 1;
  if (right.prerelease === undefined) return -1;
  return left.prerelease < right.prerelease ? -1 : 1;
}

/** True when webhook-dev can drive this CLI version. */
export function isSupportedStripeVersion(version: string, minimum = MIN_STRIPE_CLI_VERSION): boolean {
  return version === DEV_BUILD_VERSION || compareVersions(version, minimum) >= 0;
}
