/**
 * Removes `NODE_EXTRA_CA_CERTS` from this process's environment, which every worker process inherits
 * (this process has already loaded its certificates). With it, each Node start parses the CA bundle —
 * about 40 ms per start on the reference machine, more than the rest of a worker's start-up — and
 * tinypool's process workers never get it (tinypool starts them with an empty environment), so
 * keeping it would compare environment handling instead of pools. Returns a note for the report when
 * it was set, else null.
 */
export function dropSlowStartEnv(): string | null {
  if (process.env['NODE_EXTRA_CA_CERTS'] === undefined) return null;
  delete process.env['NODE_EXTRA_CA_CERTS'];
  return 'NODE_EXTRA_CA_CERTS was set: removed from the workers\' environment (it adds ~40 ms to every Node process start here; tinypool\'s process workers never inherit it)';
}
