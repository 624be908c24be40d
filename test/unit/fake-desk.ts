/**
 * A desk for the renderer's store tests: calls named in `immediate` answer at once with what their
 * function gives; every other call waits until the test answers it, in any order.
 */
import { ok, type Result } from '../../shared/result';

export type Call = { name: string; input: Record<string, unknown> };

export function fakeDesk(immediate: Record<string, (input: Record<string, unknown>) => unknown> = {}) {
  const calls: Call[] = [];
  const pending: Array<{ call: Call; resolve: (r: Result<unknown>) => void }> = [];
  const api = {
    call(name: string, input: Record<string, unknown>) {
      const call = { name, input };
      calls.push(call);
      const answer = immediate[name];
      if (answer) return Promise.resolve(ok(answer(input)));
      return new Promise<Result<unknown>>((resolve) => pending.push({ call, resolve }));
    },
  };
  const named = (name: string) => calls.filter((c) => c.name === name);
  /** Answers the oldest unanswered call of that name (whose input matches, if given). */
  const reply = (name: string, value: unknown, matches: (input: Record<string, unknown>) => boolean = () => true) => {
    const at = pending.findIndex((p) => p.call.name === name && matches(p.call.input));
    if (at < 0) throw new Error(`no pending ${name}`);
    pending.splice(at, 1)[0]!.resolve(ok(value));
  };
  return { api, calls, named, reply };
}
