/**
 * Plain text from what a program printed for a terminal. On a TTY the Stripe CLI colours its
 * output, wraps ids in OSC 8 hyperlinks (`ESC ] 8 ;; url ESC \`) and animates a braille spinner;
 * webhook-dev never gives it a TTY, but users may (FORCE_COLOR, CLICOLOR_FORCE), so parse both.
 */

// CSI sequences (colours, cursor moves, erase line), OSC sequences ending in BEL or ST, and the
// remaining two-byte escapes.
// eslint-disable-next-line no-control-regex
const TERMINAL_CODE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripTerminalCodes(text: string): string {
  return text.replace(TERMINAL_CODE, '');
}
