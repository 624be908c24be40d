import { useEffect, useState } from 'react';

/** The time, ticking every `periodMs` (countdowns). */
export function useNow(periodMs = 15_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), periodMs);
    return () => clearInterval(timer);
  }, [periodMs]);
  return now;
}
