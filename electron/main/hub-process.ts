/**
 * The hub beside the desk, under Electron: started as an Electron utility process (a Node
 * environment Electron itself runs), so the packaged binary never needs ELECTRON_RUN_AS_NODE — its
 * RunAsNode fuse is off (electron-builder.yml `electronFuses`). Adapts the utility process to what
 * electron/services/embedded-hub.ts waits on (stdout, stderr, exit code, kill).
 */
import { utilityProcess } from 'electron';
import { EventEmitter } from 'node:events';
import type { HubChild, HubLauncher } from '../services/embedded-hub';

export const utilityHubLauncher: HubLauncher = (script, args, env) => {
  const child = utilityProcess.fork(script, args, { env, stdio: ['ignore', 'pipe', 'pipe'], serviceName: '12345 本机中心' });
  const events = new EventEmitter();
  let exitCode: number | null = null;
  child.once('exit', (code) => {
    exitCode = code;
    events.emit('exit', code);
  });
  const started: HubChild = {
    stdout: child.stdout,
    stderr: child.stderr,
    get exitCode() {
      return exitCode;
    },
    kill: () => child.kill(),
    once: (event, listener) => events.once(event, listener),
  };
  return started;
};
