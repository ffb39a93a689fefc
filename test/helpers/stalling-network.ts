import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The network between the bot and Feishu, with a fault Feishu itself never answers with: a
 * call that hangs. It forwards every request to `target` unless a stall rule matches, then
 * either holds the request without passing it on (Feishu never saw it) or passes it on and
 * swallows Feishu's answer (Feishu acted, the bot never hears). Held connections stay open
 * until the bot gives up on them or the proxy stops.
 */
export interface StallRule {
  method?: string;
  path: RegExp;
  /** How many matching calls hang; later ones go through. */
  times: number;
  /** `request`: Feishu never sees the call; `answer`: Feishu acts on it and the answer is lost. */
  lose: 'request' | 'answer';
}

export class StallingNetwork {
  /** Every call that hung, as `METHOD path`. */
  readonly stalled: string[] = [];
  private readonly rules: StallRule[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<StallingNetwork> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const network = new StallingNetwork(server, `http://127.0.0.1:${port}`);
    const to = new URL(target);
    server.on('request', (req, res) => {
      const path = new URL(req.url ?? '/', 'http://proxy').pathname;
      const rule = network.take(req.method ?? 'GET', path);
      if (rule) network.stalled.push(`${req.method} ${path}`);
      if (rule?.lose === 'request') {
        req.resume(); // read and drop the body; answer nothing
        return;
      }
      const upstream = request(
        { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          if (rule?.lose === 'answer') {
            answer.resume();
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    return network;
  }

  stall(rule: StallRule): void {
    this.rules.push({ ...rule });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private take(method: string, path: string): StallRule | undefined {
    const rule = this.rules.find(
      (r) => r.times > 0 && r.path.test(path) && (r.method === undefined || r.method.toUpperCase() === method),
    );
    if (rule) rule.times -= 1;
    return rule;
  }
}
