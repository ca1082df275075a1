/**
 * Notices from other nodes: one connection of its own runs `LISTEN baton` and hands every
 * notification to the listeners; when the connection is lost it reconnects with a growing pause
 * (missed notices only delay work: every node also polls).
 */
import pg from 'pg';
import type { Logger } from 'pino';
import type { Notice } from '../port.js';

export class NoticeListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private retryMs = 100;
  private readonly listeners: ((n: Notice) => void)[] = [];

  constructor(
    private readonly url: string,
    private readonly schema: string,
    private readonly logger?: Logger,
  ) {}

  add(listener: (n: Notice) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, options: `-c search_path=${this.schema}` });
    client.on('notification', (msg) => {
      if (msg.channel !== 'baton' || !msg.payload) return;
      let notice: Notice;
      try {
        notice = JSON.parse(msg.payload) as Notice;
      } catch {
        return;
      }
      for (const l of this.listeners) l(notice);
    });
    client.on('error', (err) => {
      this.logger?.warn({ err }, 'PostgreSQL notice connection lost; reconnecting');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query('LISTEN baton');
    this.client = client;
    this.retryMs = 100;
  }

  private reconnect(old: pg.Client): void {
    if (this.stopped || this.client !== old) return;
    this.client = undefined;
    old.end().catch(() => {});
    const wait = this.retryMs;
    this.retryMs = Math.min(5000, this.retryMs * 2);
    setTimeout(() => {
      if (this.stopped) return;
      this.start().catch((err: unknown) => {
        this.logger?.warn({ err }, 'PostgreSQL notice connection failed; trying again');
        const dummy = new pg.Client();
        this.client = dummy;
        this.reconnect(dummy);
      });
    }, wait).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
