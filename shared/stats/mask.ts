/**
 * Phone numbers in reports and exports are masked unless a team lead asks for the full numbers:
 * a mobile keeps its first 3 and last 4 digits (139****5678), a landline its area code and last 4
 * (010-****1234). Anything else keeps only its last 4 characters.
 */
export function maskPhone(phone: string): string {
  const value = phone.trim();
  if (!value) return '';
  const mobile = /^(1\d{2})\d{4}(\d{4})$/.exec(value);
  if (mobile) return `${mobile[1]}****${mobile[2]}`;
  // 010 and 02x are three-digit area codes; every other one has four digits.
  const landline = /^(010|02\d|0[3-9]\d{2})-?(\d+)$/.exec(value);
  if (landline) {
    const local = landline[2]!;
    return `${landline[1]}-${'*'.repeat(Math.max(0, local.length - 4))}${local.slice(-4)}`;
  }
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${'*'.repeat(value.length - 4)}${value.slice(-4)}`;
}

/** Whether a text still shows a phone number in full (a mobile or a landline with 7+ local digits). */
export function showsFullPhone(text: string): boolean {
  return /(^|\D)1[3-9]\d{9}(\D|$)/.test(text) || /(^|\D)0\d{2,3}-?\d{7,8}(\D|$)/.test(text);
}

/** Every phone number written inside a text (a ticket's content), masked the same way. */
export function maskPhonesIn(text: string): string {
  return text
    .replace(/(?<!\d)1[3-9]\d{9}(?!\d)/g, (m) => maskPhone(m))
    .replace(/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g, (m) => maskPhone(m));
}
