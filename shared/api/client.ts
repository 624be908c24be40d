/**
 * The typed client every caller of the contract uses. A transport moves one call message and
 * hands back whatever came back; the client checks it is a Result and (optionally) that the value
 * has the declared output shape, so a transport fault becomes a named error, never a throw.
 */
import { describeError } from '../errors';
import { fail, isErrorKind, type Result } from '../result';
import { describeIssues } from './dispatch';
import type { CallInput, CallMap, CallName, CallOutput } from './contract';

export interface Transport {
  call(message: { name: string; input: unknown }): Promise<unknown>;
}

export interface Client<C extends CallMap> {
  call<N extends CallName<C>>(name: N, input: CallInput<C, N>): Promise<Result<CallOutput<C, N>>>;
}

export interface ClientOptions {
  /** Validate each reply against the output schema (on in tests and development). */
  validateOutput?: boolean;
}

export function isResult(value: unknown): value is Result<unknown> {
  if (!value || typeof value !== 'object') return false;
  const v = value as { ok?: unknown; error?: { kind?: unknown; message?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && !!v.error && isErrorKind(v.error.kind) && typeof v.error.message === 'string';
}

export function createClient<C extends CallMap>(calls: C, transport: Transport, options: ClientOptions = {}): Client<C> {
  return {
    async call(name, input) {
      let reply: unknown;
      try {
        reply = await transport.call({ name, input });
      } catch (error) {
        return fail('unavailable', `无法连接本机服务：${describeError(error)}`);
      }
      if (!isResult(reply)) return fail('internal', `“${name}”的回复格式不正确`);
      if (reply.ok && options.validateOutput) {
        const checked = calls[name]!.output.safeParse(reply.value);
        if (!checked.success) return fail('internal', `“${name}”的回复不符合约定：${describeIssues(checked.error)}`);
        return { ok: true, value: checked.data } as Result<CallOutput<C, typeof name>>;
      }
      return reply as Result<CallOutput<C, typeof name>>;
    },
  };
}
