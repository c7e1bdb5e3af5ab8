/**
 * CSV fields that are safe to open in a spreadsheet (OWASP "CSV Injection"). A cell that starts with =, +, -,
 * @, a tab or a line break is read as a formula by Excel, LibreOffice or Google Sheets — `-1+1+cmd|' /C calc'!A0`
 * included, since a leading minus followed by a digit is still a formula — so such text gets a leading single
 * quote, which spreadsheets show as text and never evaluate. Fullwidth ＝ ＋ － ＠ are treated alike, as some
 * spreadsheets fold them to their ASCII forms. Quoting follows RFC 4180.
 */

const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
const NEEDS_QUOTES = /[",\r\n]/;
const PLAIN_NUMBER = /^-?\d+(?:\.\d+)?$/;

function quote(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Any text, whatever its origin: formulas defused, then quoted when needed. */
export function csvText(value: string): string {
  return quote(FORMULA_START.test(value) ? `'${value}` : value);
}

/**
 * A number the gateway formats itself (a count, a status, an exact decimal amount): written bare so a
 * spreadsheet keeps it numeric, a leading minus included. Anything that is not a plain decimal is text.
 */
export function csvNumber(value: number | bigint | string): string {
  const text = String(value);
  return PLAIN_NUMBER.test(text) ? text : csvText(text);
}
