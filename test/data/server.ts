// A local HTTP file server on 127.0.0.1 for the download tests: Range support, request log, and an
// optional cut of the connection after N bytes (an interrupted download).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  requests: { path: string; range: string | undefined }[];
  /** Next response to `path` stops after this many body bytes and drops the connection. */
  cutNext: Map<string, number>;
  /** Paths for which Range headers are ignored (200 with the whole file). */
  ignoreRange: Set<string>;
  /** Next response to `path` sends this many body bytes and then stalls (never ends). */
  stallNext: Map<string, number>;
  /** Content-Type header sent for `path` (none when absent). */
  contentTypes: Map<string, string>;
  close(): Promise<void>;
}

export async function startServer(files: Record<string, Buffer>): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const cutNext = new Map<string, number>();
  const ignoreRange = new Set<string>();
  const stallNext = new Map<string, number>();
  const contentTypes = new Map<string, string>();
  const stalled: import('node:http').ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
    requests.push({ path, range: req.headers.range });
    const body = files[path];
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    const type = contentTypes.get(path);
    if (type) res.setHeader('Content-Type', type);
    let start = 0;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && !ignoreRange.has(path)) {
      start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { 'Content-Length': body.length - start, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}` });
    } else res.writeHead(200, { 'Content-Length': body.length });
    const stall = stallNext.get(path);
    if (stall !== undefined) {
      stallNext.delete(path);
      res.write(body.subarray(start, start + stall));
      stalled.push(res);
      return;
    }
    const cut = cutNext.get(path);
    if (cut !== undefined) {
      cutNext.delete(path);
      res.write(body.subarray(start, start + cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    cutNext,
    ignoreRange,
    stallNext,
    contentTypes,
    close: () => {
      for (const r of stalled) r.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
