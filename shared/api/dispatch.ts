/**
 * The server side of the contract, shared by Electron IPC, the browser host and the hub:
 * check the envelope, find the call, validate the input, run the handler, turn a throw into `internal`.
 * Nothing a caller sends can crash the process that runs this.
 * - Every input also passes `withSafeText` (safe-input.ts): a NUL or a lone surrogate anywhere is
 *   `bad_request`, for every call of every contract, before a handler or a database sees it.
 * - A throw is logged in full through `onInternalError` and answered with a generic message: what a
 *   database or a library said never reaches the caller.
 */
import type { z } from 'zod';
import { fail, type Result } from '../result';
import { CallMessage, type CallInputParsed, type CallMap, type CallName, type CallOutput } from './contract';
import { withSafeText } from './safe-input';

export type Handler<C extends CallMap, N extends keyof C, Ctx> = (
  input: CallInputParsed<C, N>,
  ctx: Ctx,
) => Result<CallOutput<C, N>> | Promise<Result<CallOutput<C, N>>>;

export type Handlers<C extends CallMap, Ctx> = { [N in CallName<C>]: Handler<C, N, Ctx> };

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '（整体）'}: ${issue.message}`)
    .join('；');
}

export interface Dispatcher<Ctx> {
  (message: unknown, ctx: Ctx): Promise<Result<unknown>>;
}

export function createDispatcher<C extends CallMap, Ctx>(
  calls: C,
  handlers: Handlers<C, Ctx>,
  onInternalError: (name: string, error: unknown) => void = () => {},
): Dispatcher<Ctx> {
  const inputs = new Map<string, z.ZodType>();
  const inputOf = (name: string, spec: CallSpecOf<C>): z.ZodType => {
    let schema = inputs.get(name);
    if (!schema) inputs.set(name, (schema = withSafeText(spec.input)));
    return schema;
  };
  return async (message, ctx) => {
    const envelope = CallMessage.safeParse(message);
    if (!envelope.success) return fail('bad_request', `调用格式不正确：${describeIssues(envelope.error)}`);
    const { name, input } = envelope.data;
    if (!Object.hasOwn(calls, name)) return fail('unknown_call', `没有名为“${name}”的调用`);
    const spec = calls[name] as CallSpecOf<C>;
    const parsed = inputOf(name, spec).safeParse(input ?? {});
    if (!parsed.success) return fail('bad_request', `“${name}”的参数不正确：${describeIssues(parsed.error)}`, parsed.error.issues);
    try {
      const handler = handlers[name as CallName<C>] as unknown as (input: unknown, ctx: Ctx) => Promise<Result<unknown>>;
      const result = await handler(parsed.data, ctx);
      if (!result || typeof result !== 'object' || typeof (result as { ok?: unknown }).ok !== 'boolean') {
        onInternalError(name, new Error('handler returned a value that is not a Result'));
        return fail('internal', `“${name}”返回了无效结果`);
      }
      return result;
    } catch (error) {
      onInternalError(name, error);
      return fail('internal', `“${name}”处理失败：内部错误，已记入日志`);
    }
  };
}

type CallSpecOf<C extends CallMap> = C[keyof C];
