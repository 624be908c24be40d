/**
 * Which addresses the Electron shell may hand to the system browser (`shell.openExternal`,
 * electron/main/windows.ts): only https, only the hosts listed here, never credentials in the URL.
 * Anything else a page tries to open (file:, javascript:, a custom protocol handler, a look-alike
 * host) is refused and stays inside the sandboxed window's deny.
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  // The 12345 hotline's public site and the Beijing government portal (knowledge-base sources).
  '12345.beijing.gov.cn',
  'www.beijing.gov.cn',
  'beijing.gov.cn',
];

export function isAllowedExternal(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  return hosts.includes(parsed.hostname.toLowerCase());
}
