/** F1: every key of the screen, from its command table (commands.ts), then the keys inside fields. */
import type { Shortcut } from '../commands';
import { Overlay } from '../Overlay';
import { useShell } from '../shell-store';
import { ShortcutRows } from '../ShortcutRows';

export function HelpOverlay({ shortcuts, fieldKeys = [] }: { shortcuts: readonly Shortcut[]; fieldKeys?: ReadonlyArray<{ keys: string; label: string }> }) {
  const open = useShell((s) => s.helpOpen);
  if (!open) return null;
  return (
    <Overlay onClose={() => useShell.getState().toggleHelp(false)} labelledBy="help-title" boxClassName="help-box">
      <h2 id="help-title">快捷键</h2>
      <table className="keys">
        <tbody>
          <ShortcutRows shortcuts={shortcuts} />
          {fieldKeys.length > 0 && (
            <tr className="keys-section">
              <th colSpan={2}>在输入项中</th>
            </tr>
          )}
          {fieldKeys.map((k) => (
            <tr key={k.label}>
              <td>
                <kbd>{k.keys}</kbd>
              </td>
              <td>{k.label}</td>
            </tr>
          ))}
          {fieldKeys.length === 0 && (
            <tr>
              <td>
                <kbd>Esc</kbd>
              </td>
              <td>关闭本窗口</td>
            </tr>
          )}
        </tbody>
      </table>
    </Overlay>
  );
}
