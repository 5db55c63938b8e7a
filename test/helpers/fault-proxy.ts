import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of the engine server that answers the first `failures` requests
 * matching `match` with the given status (429 then 503, as an overloaded cluster does), and
 * forwards everything else. This is how a test makes the search side busy for real, without
 * mocking the client.
 */
export async function startFaultProxy(target: string, options: { statuses: number[]; match?: (method: string, path: string) => boolean }) {
  const match = options.match ?? ((method, path) => method === 'POST' && path.split('?')[0]!.endsWith('/_bulk'));
  const pending = [...options.statuses];
  const seen = { faults: 0, forwarded: 0 };
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (match(req.method ?? 'GET', req.url ?? '/') && pending.length > 0) {
        const status = pending.shift()!;
        seen.faults++;
        const type = status === 429 ? 'es_rejected_execution_exception' : 'unavailable_shards_exception';
        const body = JSON.stringify({ error: { root_cause: [{ type, reason: 'injected by the test proxy' }], type, reason: 'injected by the test proxy' }, status });
        res.writeHead(status, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(body);
        return;
      }
      seen.forwarded++;
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
