/**
 * The shell's calls: what the status bar shows (app.info, app.health) and the second screen
 * (window.openSecondScreen, side.show, side.current).
 */
import { applySideView, type AppHealth, type AppInfo, type Operator, type SideScreen } from '../../../shared/api/contract';
import { ok } from '../../../shared/result';
import { shiftAt } from '../../../shared/shifts';
import { centerMinutesOfDay } from '../../../shared/time';
import type { DeskOptions } from '../desk';
import type { ShiftSettings } from '../lead/shift-settings';
import type { DeskContext, DeskHandlers } from './context';

export const PRODUCT_NAME = '12345接诉即办坐席';

export interface AppDeps {
  options: Pick<DeskOptions, 'version' | 'mode' | 'dataDir' | 'openSecondScreen'>;
  startedAt: string;
  operator: () => Operator;
  shifts: ShiftSettings;
  health: () => AppHealth;
  /** Whether call-takers sign in with their own hub account here (desk.ts). */
  operatorAccounts?: () => boolean;
}

export function appHandlers(
  { now, emit }: DeskContext,
  deps: AppDeps,
): DeskHandlers<'app.info' | 'app.health' | 'window.openSecondScreen' | 'side.show' | 'side.current'> {
  /** What the second screen shows; kept in memory: after a restart it starts empty. */
  let side: SideScreen = { kb: null, record: null };
  return {
    'app.info': () => {
      const shift = shiftAt(centerMinutesOfDay(now()), deps.shifts.all());
      const info: AppInfo = {
        productName: PRODUCT_NAME,
        version: deps.options.version,
        mode: deps.options.mode,
        platform: process.platform,
        startedAt: deps.startedAt,
        dataDir: deps.options.dataDir,
        operator: deps.operator(),
        shift: { code: shift.code, name: shift.name, start: shift.start, end: shift.end },
        operatorAccounts: deps.operatorAccounts?.() ?? false,
      };
      return ok(info);
    },
    'app.health': () => ok(deps.health()),
    'window.openSecondScreen': () => ok(deps.options.openSecondScreen()),
    'side.show': ({ view }) => {
      side = applySideView(side, view);
      emit({ name: 'side.view', payload: view });
      return ok(view);
    },
    'side.current': () => ok(side),
  };
}
