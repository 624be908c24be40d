/** F1: every key of the screen, from its command table (commands.ts). */
import type { Shortcut } from '../commands';
import { Overlay } from '../Overlay';
import { useShell } from '../shell-store';
import { ShortcutRows } from '../ShortcutRows';

export function HelpOverlay({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  const open = useShell((s) => s.helpOpen);
  if (!open) return null;
  return (
    <Overlay onClose={() => useShell.getState().toggleHelp(false)} labelledBy="help-title">
      <h2 id="help-title">快捷键</h2>
      <table className="keys">
        <tbody>
          <ShortcutRows shortcuts={shortcuts} />
          <tr>
            <td>
              <kbd>Esc</kbd>
            </td>
            <td>关闭本窗口</td>
          </tr>
        </tbody>
      </table>
    </Overlay>
  );
}
