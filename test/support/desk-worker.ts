/**
 * The desk as a process for the kill -9 suite (test/hub/kill9.test.ts), run with tsx:
 *   desk-worker.ts <dataDir> <hubUrl> <username> <password> submit|drain <resourcesDir>
 * `submit`: submits tickets and syncs, in a loop, until killed; prints `SUBMITTED <id>` once a submit
 * returned (the ticket is in the desk's database). `drain`: syncs until the outbox is empty, then
 * prints `STATE <json>` (test/support/kill9-desk.ts state()) and exits.
 */
import { openKillDesk } from './kill9-desk';

const [dataDir, hubUrl, username, password, mode, resourcesDir] = process.argv.slice(2);
const desk = await openKillDesk({ dataDir: dataDir!, hubUrl: hubUrl!, username: username!, password: password!, resourcesDir: resourcesDir! });
console.log('WORKER_READY');
if (mode === 'submit') {
  for (;;) {
    const batch = 1 + Math.floor(Math.random() * 6);
    for (let i = 0; i < batch; i++) console.log(`SUBMITTED ${await desk.submit()}`);
    await desk.syncOnce();
  }
} else {
  for (let attempt = 0; attempt < 200; attempt++) {
    await desk.syncOnce();
    if ((await desk.state()).unsent === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.log(`STATE ${JSON.stringify(await desk.state())}`);
  desk.desk.close();
  process.exit(0);
}
