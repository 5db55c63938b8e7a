import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server received it. */
export interface RecordedRequest {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A loopback HTTP server that answers `GET /` as an Elasticsearch node does (with the product
 * header the client checks) and records each request's headers, so tests can see exactly
 * what the real client sends: auth headers, compatibility headers. `answer` may give another
 * status and body for a request.
 */
export async function startRecordingServer(
  answer?: (request: RecordedRequest) => { status: number; body: unknown } | undefined,
): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(recorded);
      const given = answer?.(recorded);
      res.writeHead(given?.status ?? 200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
      res.end(JSON.stringify(given ? given.body : { name: 'recorder', cluster_name: 'test', version: { number: '8.19.0' }, tagline: 'You Know, for Search' }));
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
