/** Text with some character ranges marked, e.g. the part of a catalogue path the query matched. */
export function Highlight({ text, ranges }: { text: string; ranges: ReadonlyArray<readonly [number, number]> }) {
  if (ranges.length === 0) return <>{text}</>;
  const chars = [...text];
  const parts: Array<{ text: string; mark: boolean }> = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (start > at) parts.push({ text: chars.slice(at, start).join(''), mark: false });
    if (end > Math.max(start, at)) parts.push({ text: chars.slice(Math.max(start, at), end).join(''), mark: true });
    at = Math.max(at, end);
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(''), mark: false });
  return (
    <>
      {parts.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}
