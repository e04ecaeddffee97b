/**
 * An error as it crosses between a worker and the pool: plain data, so it survives JSON and
 * structured clone alike, and keeps what structured clone would lose (custom `name`, `code`, own
 * properties, `cause`).
 */
export interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: unknown;
  readonly props?: Record<string, unknown>;
  readonly cause?: RemoteError;
}

const BUILTIN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Turns a thrown Error into {@link RemoteError} data; `depth` bounds how many causes are kept.
 * Never throws (a hostile error's getters or toString are contained).
 */
export function toRemoteError(err: Error, depth = 3): RemoteError {
  try {
    return describe(err, depth);
  } catch {
    return { name: 'Error', message: 'a task threw an error that could not be described' };
  }
}

function describe(err: Error, depth: number): RemoteError {
  const props: Record<string, unknown> = {};
  let hasProps = false;
  for (const key of Object.keys(err)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'code' || key === 'cause') continue;
    const v = (err as unknown as Record<string, unknown>)[key];
    // Only plain data crosses; anything else (functions, sockets) would fail the whole message.
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) {
      props[key] = v;
      hasProps = true;
    }
  }
  const code = (err as { code?: unknown }).code;
  const cause = err.cause;
  return {
    name: typeof err.name === 'string' ? err.name : 'Error',
    message: typeof err.message === 'string' ? err.message : String(err.message),
    ...(typeof err.stack === 'string' ? { stack: err.stack } : {}),
    ...(code === undefined ? {} : { code: typeof code === 'number' || typeof code === 'string' ? code : String(code) }),
    ...(hasProps ? { props } : {}),
    ...(cause instanceof Error && depth > 0 ? { cause: describe(cause, depth - 1) } : {}),
  };
}

/** Rebuilds an Error from {@link RemoteError} data: same name, message, stack, code and own data properties. */
export function fromRemoteError(data: RemoteError): Error {
  const Ctor = Object.hasOwn(BUILTIN, data.name) ? BUILTIN[data.name]! : Error;
  const err = new Ctor(String(data.message), data.cause ? { cause: fromRemoteError(data.cause) } : undefined);
  if (err.name !== data.name) Object.defineProperty(err, 'name', { value: String(data.name), writable: true, configurable: true, enumerable: false });
  if (typeof data.stack === 'string') err.stack = data.stack;
  if (data.code !== undefined) Object.assign(err, { code: data.code });
  if (data.props) Object.assign(err, data.props);
  return err;
}

/** Whether `v` has the shape of {@link RemoteError} (it came from outside, so it is checked). */
export function isRemoteError(v: unknown): v is RemoteError {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r['name'] === 'string' &&
    typeof r['message'] === 'string' &&
    (r['stack'] === undefined || typeof r['stack'] === 'string') &&
    (r['props'] === undefined || (typeof r['props'] === 'object' && r['props'] !== null)) &&
    (r['cause'] === undefined || isRemoteError(r['cause']))
  );
}
