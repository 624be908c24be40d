/** The hub's version, stamped in at build time (esbuild/vitest `define`); 'dev' when run from source. */
declare const __APP_VERSION__: string | undefined;

export const HUB_VERSION: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';
