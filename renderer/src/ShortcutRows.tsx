/** Shortcut help, from the declared shortcuts (commands.ts): what the screen says is what the keys do. */
import { keyLabel, type Shortcut } from './commands';

export function ShortcutRows({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  return (
    <>
      {shortcuts.map((s) => (
        <tr key={keyLabel(s)}>
          <td>
            <kbd>{keyLabel(s)}</kbd>
          </td>
          <td>{s.help ?? s.label}</td>
        </tr>
      ))}
    </>
  );
}

/** The status bar's key hints: every shortcut not kept for the help table alone. */
export function ShortcutHints({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  return (
    <>
      {shortcuts
        .filter((s) => !s.helpOnly)
        .map((s) => (
          <span key={keyLabel(s)}>
            <kbd>{keyLabel(s)}</kbd> {s.label}
          </span>
        ))}
    </>
  );
}
