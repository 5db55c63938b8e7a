import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that answers `GET /` as an Elasticsearch node does (with the product
 * header the client checks) and records each request's headers, so tests can see exactly
 * what the real client sends: auth headers, compatibility headers.
 */
export async function startRecordingServer(): Promise<{ url: string; requests: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }>; close(): Promise<void> }> {
  const requests: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders }> = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify({ name: 'recorder', cluster_name: 'test', version: { number: '8.19.0' }, tagline: 'You Know, for Search' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
