/** The rows of a shortcut help table, from the declared shortcuts (shortcuts.ts): what the screen says is what the keys do. */
import { keyLabel, type Shortcut } from './shortcuts';

export function ShortcutRows({ shortcuts }: { shortcuts: readonly Shortcut[] }) {
  return (
    <>
      {shortcuts.map((s) => (
        <tr key={keyLabel(s)}>
          <td>
            <kbd>{keyLabel(s)}</kbd>
          </td>
          <td>{s.label}</td>
        </tr>
      ))}
    </>
  );
}
