import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/api/dispatch';
import { deskCalls } from '../../shared/api/contract';
import { fail, ok } from '../../shared/result';
import { DEFAULT_SHIFTS, shiftAt } from '../../shared/shifts';
import { centerDate, centerMinutesOfDay } from '../../shared/time';
import { checkDataDir, resolveDataDir } from '../../electron/services/data-dir';
import { placeWindow, planWindow, readPlacement, type DisplayInfo } from '../../electron/services/window-bounds';
import { popupFeatures, readSidePlacement, sidePopupPlace } from '../../renderer/src/side-placement';
import { dismissingPrompt, shiftKey, shouldPromptSignIn } from '../../renderer/src/shift-prompt';
import { heatLabelTone } from '../../renderer/src/lead/format';

describe('window placement across displays', () => {
  const primary: DisplayInfo = { id: 1, primary: true, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
  const second: DisplayInfo = { id: 2, primary: false, workArea: { x: 1920, y: 0, width: 1920, height: 1040 } };
  const size = { width: 1200, height: 900 };

  it('keeps a saved place that is still on a display', () => {
    const saved = { x: 2000, y: 50, width: 1200, height: 900 };
    expect(placeWindow(saved, [primary, second], size, 'secondary')).toEqual(saved);
  });

  it('falls back to the primary display when the second screen is gone', () => {
    const saved = { x: 2000, y: 50, width: 1200, height: 900 };
    const placed = placeWindow(saved, [primary], size, 'secondary');
    expect(placed).toEqual({ x: 360, y: 70, width: 1200, height: 900 });
  });

  it('puts a never-placed side window on the second screen', () => {
    expect(placeWindow(null, [primary, second], size, 'secondary').x).toBeGreaterThanOrEqual(1920);
  });

  it('rejects a window whose title bar is off-screen even if most of it shows', () => {
    const saved = { x: 100, y: -20, width: 1200, height: 900 };
    expect(placeWindow(saved, [primary], size)).toEqual({ x: 360, y: 70, width: 1200, height: 900 });
  });

  it('shrinks to fit a small display', () => {
    const small: DisplayInfo = { id: 3, primary: true, workArea: { x: 0, y: 0, width: 1024, height: 700 } };
    expect(placeWindow(null, [small], { width: 1600, height: 960 })).toEqual({ x: 0, y: 0, width: 1024, height: 700 });
  });
});

describe('the second screen (F10) opens on the second monitor, maximised, and remembers its place', () => {
  const primary: DisplayInfo = { id: 1, primary: true, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
  const second: DisplayInfo = { id: 2, primary: false, workArea: { x: 1920, y: 0, width: 1680, height: 1010 } };
  const size = { width: 1200, height: 900 };

  it('opens a never-placed side window maximised over the whole second monitor', () => {
    expect(planWindow(null, [primary, second], size, 'side')).toEqual({ bounds: second.workArea, maximize: true });
  });

  it('with one monitor opens it centred at its own size, not over the desk', () => {
    expect(planWindow(null, [primary], size, 'side')).toEqual({ bounds: { x: 360, y: 70, width: 1200, height: 900 }, maximize: false });
  });

  it('keeps a remembered place, maximised or not, while its monitor is there', () => {
    const restored = { bounds: { x: 2000, y: 40, width: 1200, height: 900 }, maximized: false };
    expect(planWindow(restored, [primary, second], size, 'side')).toEqual({ bounds: restored.bounds, maximize: false });
    const maximised = { ...restored, maximized: true };
    expect(planWindow(maximised, [primary, second], size, 'side')).toEqual({ bounds: restored.bounds, maximize: true });
  });

  it('goes back to the second monitor when its remembered place is gone, and reads older saved rectangles', () => {
    const elsewhere = { bounds: { x: 4000, y: 40, width: 1200, height: 900 }, maximized: false };
    expect(planWindow(elsewhere, [primary, second], size, 'side')).toEqual({ bounds: second.workArea, maximize: true });
    expect(readPlacement({ x: 10, y: 20, width: 1200, height: 900 })).toEqual({ bounds: { x: 10, y: 20, width: 1200, height: 900 }, maximized: false });
    expect(readPlacement({ bounds: { x: 10, y: 20, width: 1200, height: 900 }, maximized: true })?.maximized).toBe(true);
    expect(readPlacement('nonsense')).toBeNull();
  });

  it('the main window still opens on the primary monitor', () => {
    expect(planWindow(null, [primary, second], { width: 1600, height: 960 }, 'main')).toEqual({ bounds: { x: 160, y: 40, width: 1600, height: 960 }, maximize: false });
  });
});

describe('the browser host’s second-screen popup', () => {
  const desk = { left: 0, top: 0, width: 1920, height: 1040 };
  const other = { left: 1920, top: 0, width: 1680, height: 1010 };

  it('fills another screen when the browser names one, else the desk’s screen — never a small popup', () => {
    expect(sidePopupPlace(null, desk, [other])).toEqual(other);
    expect(sidePopupPlace(null, desk, [])).toEqual(desk);
    expect(popupFeatures(desk)).toBe('popup,left=0,top=0,width=1920,height=1040');
  });

  it('goes where it was last while that place is on a screen', () => {
    const last = { left: 1950, top: 30, width: 1400, height: 900 };
    expect(sidePopupPlace(last, desk, [other])).toEqual(last);
    // That screen is gone: back to filling the desk's screen.
    expect(sidePopupPlace(last, desk, [])).toEqual(desk);
    expect(readSidePlacement(JSON.stringify(last))).toEqual(last);
    expect(readSidePlacement('{"left":1}')).toBeNull();
    expect(readSidePlacement('not json')).toBeNull();
  });
});

describe('the sign-in prompt at the start of a shift', () => {
  const middle = shiftKey('2026-12-01', 'middle');

  it('asks when nobody is signed in, once per shift', () => {
    expect(shouldPromptSignIn('local', middle, null)).toBe(true);
    expect(shouldPromptSignIn('local', middle, middle)).toBe(false);
    expect(shouldPromptSignIn('local', shiftKey('2026-12-02', 'early'), middle)).toBe(true);
    expect(shouldPromptSignIn('1001', middle, null)).toBe(false);
    expect(shouldPromptSignIn('local', null, null)).toBe(false);
  });

  it('gives way to every desk key but help and sign-in, which still do what they say', () => {
    const ran: string[] = [];
    let dismissed = 0;
    const handlers = dismissingPrompt(
      { help: () => ran.push('help'), signIn: () => ran.push('signIn'), newCall: () => ran.push('newCall'), searchCatalogue: () => ran.push('searchCatalogue') },
      () => dismissed++,
    );
    handlers.help();
    handlers.signIn();
    expect(dismissed).toBe(0);
    handlers.newCall();
    handlers.searchCatalogue();
    expect(dismissed).toBe(2);
    expect(ran).toEqual(['help', 'signIn', 'newCall', 'searchCatalogue']);
  });
});

describe('the lead view’s heat map', () => {
  it('writes counts in white on the deep cells and dark on the pale ones', () => {
    expect(heatLabelTone(5, 5)).toBe('light');
    expect(heatLabelTone(3, 5)).toBe('light');
    expect(heatLabelTone(2, 5)).toBe('dark');
    expect(heatLabelTone(1, 1)).toBe('light');
    expect(heatLabelTone(0, 0)).toBe('dark');
  });
});

describe('shifts on Beijing time', () => {
  it('finds the shift for each hour, including the night shift after midnight', () => {
    expect(shiftAt(7 * 60 + 59).name).toBe('夜班');
    expect(shiftAt(8 * 60).name).toBe('早班');
    expect(shiftAt(16 * 60).name).toBe('中班');
    expect(shiftAt(23 * 60 + 59).name).toBe('中班');
    expect(shiftAt(0).name).toBe('夜班');
  });

  it('handles a shift that runs across midnight', () => {
    const shifts = [
      { code: 'day', name: '白班', start: '08:00', end: '20:00' },
      { code: 'night', name: '夜班', start: '20:00', end: '08:00' },
    ];
    expect(shiftAt(23 * 60, shifts).name).toBe('夜班');
    expect(shiftAt(3 * 60, shifts).name).toBe('夜班');
    expect(shiftAt(12 * 60, shifts).name).toBe('白班');
    expect(DEFAULT_SHIFTS).toHaveLength(3);
  });

  it('reckons the time of day and the date in Beijing whatever the machine zone', () => {
    const at = new Date('2026-11-23T19:30:00Z'); // 03:30 on the 24th in Beijing
    expect(centerMinutesOfDay(at)).toBe(3 * 60 + 30);
    expect(centerDate(at)).toBe('2026-11-24');
  });
});

describe('data directory', () => {
  it('uses the per-user app-data folder, or the override', () => {
    expect(resolveDataDir({}, 'linux', '/home/ops')).toBe('/home/ops/.config/HotlineDesk');
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/ops')).toBe('/x/HotlineDesk');
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\ops\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ops')).toContain('HotlineDesk');
    expect(resolveDataDir({ HOTLINE_DESK_DATA_DIR: '/srv/desk' }, 'linux', '/home/ops')).toBe('/srv/desk');
  });

  it('reports a usable folder as healthy and a non-folder as not writable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-'));
    expect(checkDataDir(dir).check.ok).toBe(true);
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    chmodSync(file, 0o444);
    const health = checkDataDir(file);
    expect(health.writable).toBe(false);
    expect(health.check.message).toContain('不可写');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('dispatcher', () => {
  // The dispatcher's own behaviour, on the three foundation calls of the real contract.
  const calls = {
    'app.info': deskCalls['app.info'],
    'app.health': deskCalls['app.health'],
    'window.openSecondScreen': deskCalls['window.openSecondScreen'],
  };
  const base = {
    'app.health': () => fail('unavailable', '数据库未打开'),
    'window.openSecondScreen': () => ok({ opened: false, url: null }),
  };

  it('turns a throwing handler into an internal error and reports it', async () => {
    const reported: string[] = [];
    const dispatch = createDispatcher(
      calls,
      { ...base, 'app.info': () => { throw new Error('boom'); } },
      (name) => reported.push(name),
    );
    const result = await dispatch({ name: 'app.info', input: {} }, {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(reported).toEqual(['app.info']);
  });

  it('passes a handler’s own named error through', async () => {
    const dispatch = createDispatcher(calls, { ...base, 'app.info': () => fail('unavailable', 'x') });
    expect(await dispatch({ name: 'app.health', input: {} }, {})).toEqual({ ok: false, error: { kind: 'unavailable', message: '数据库未打开' } });
  });

  it('rejects a handler that returns something that is not a Result', async () => {
    const dispatch = createDispatcher(calls, { ...base, 'app.info': () => 42 as never });
    expect(await dispatch({ name: 'app.info', input: {} }, {})).toMatchObject({ ok: false, error: { kind: 'internal' } });
  });
});
