import pg from 'pg';
import type { Logger } from './logger.js';

const JOBS_CHANNEL = 'engine_jobs';
const END_CHANNEL = 'engine_pi_end';
/** Engines on one database announce themselves here: hello on start, here as answer and heartbeat, bye on stop. */
const NODES_CHANNEL = 'engine_nodes';
const HEARTBEAT_MS = 10_000;
/** A peer not heard of for this long (three heartbeats missed: killed, cut off) is forgotten. */
const PEER_TTL_MS = 35_000;

export interface CrossProcessHandlers {
  /** Another engine committed jobs of this type. */
  jobs(type: string): void;
  /** Another engine ended this process instance. */
  ended(processInstanceKey: string): void;
}

/**
 * Wake-ups between engine processes on one database (LISTEN/NOTIFY): new jobs for long polls waiting
 * in another process, ended instances for its await-completion requests. A lost wake-up only delays
 * a waiter; it never loses state.
 *
 * Notifications go out only while another engine is known to listen: alone (the usual deployment),
 * a NOTIFY per round of commands was a transaction, a signal to our own listening backend and a
 * message back, for nobody. Engines learn of each other by announcing themselves when they start
 * (every engine that hears it answers at once) and by a heartbeat; an engine that cannot listen
 * itself cannot learn of others and so notifies always.
 */
export class CrossProcessNotifications {
  private listener: pg.Client | null = null;
  private readonly peers = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly pending = new Set<string>();
  private inFlight = false;
  private stopped = true;

  constructor(
    private readonly pool: pg.Pool,
    private readonly url: string,
    readonly nodeId: string,
    private readonly log: Logger,
    private readonly on: CrossProcessHandlers,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    try {
      const client = new pg.Client({ connectionString: this.url });
      await client.connect();
      client.on('error', (e) => this.log.warn({ err: e }, 'engine notification listener failed'));
      client.on('notification', (n) => this.receive(n));
      await client.query(`LISTEN ${JOBS_CHANNEL}; LISTEN ${END_CHANNEL}; LISTEN ${NODES_CHANNEL}`);
      this.listener = client;
      // Committed before this engine serves anything: the others answer and notify it from then on.
      await this.pool.query('SELECT pg_notify($1, $2)', [NODES_CHANNEL, `${this.nodeId}|hello`]);
    } catch (e) {
      this.log.warn({ err: e }, 'LISTEN unavailable; other engine processes are notified blindly');
    }
    this.heartbeat = setInterval(() => this.broadcast(NODES_CHANNEL, 'here'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.listener) {
      await this.pool.query('SELECT pg_notify($1, $2)', [NODES_CHANNEL, `${this.nodeId}|bye`]).catch(() => {});
      await this.listener.end().catch(() => {});
    }
    this.listener = null;
    this.peers.clear();
  }

  jobsCreated(type: string): void {
    this.broadcast(JOBS_CHANNEL, type);
  }

  instanceEnded(processInstanceKey: string): void {
    this.broadcast(END_CHANNEL, processInstanceKey);
  }

  /** Whether another engine is known to listen (forgetting those not heard of for too long). */
  private hasPeers(): boolean {
    if (!this.listener) return true;
    const now = Date.now();
    for (const [id, seen] of this.peers) if (now - seen > PEER_TTL_MS) this.peers.delete(id);
    return this.peers.size > 0;
  }

  private receive(n: pg.Notification): void {
    const [node, payload] = (n.payload ?? '').split('|');
    if (node === this.nodeId || payload === undefined) return;
    if (n.channel === NODES_CHANNEL && payload === 'bye') {
      this.peers.delete(node);
      return;
    }
    this.peers.set(node, Date.now());
    if (n.channel === NODES_CHANNEL) {
      if (payload === 'hello') this.broadcast(NODES_CHANNEL, 'here');
    } else if (n.channel === JOBS_CHANNEL) this.on.jobs(payload);
    else if (n.channel === END_CHANNEL) this.on.ended(payload);
  }

  /**
   * Sent after the commands' commits, never inside them: a NOTIFY in a command would hold
   * PostgreSQL's global notify lock through the commit's WAL flush and serialise every command of
   * every instance. One notification transaction is in flight at a time; what arrives meanwhile goes
   * out, de-duplicated, in the next one (NOTIFY commits serialise on that lock).
   */
  private broadcast(channel: string, payload: string): void {
    if (this.stopped || (channel !== NODES_CHANNEL && !this.hasPeers())) return;
    this.pending.add(`SELECT pg_notify('${channel}', ${pg.escapeLiteral(`${this.nodeId}|${payload}`)})`);
    if (this.pending.size === 1 && !this.inFlight) setImmediate(() => this.send());
  }

  private send(): void {
    const statements = [...this.pending];
    this.pending.clear();
    if (this.stopped || !statements.length) return;
    this.inFlight = true;
    const text = ['BEGIN', 'SET LOCAL synchronous_commit = off', ...statements, 'COMMIT'].join(';\n');
    this.pool
      .query(text)
      .catch((e) => this.log.warn({ err: e }, 'engine notification failed'))
      .finally(() => {
        this.inFlight = false;
        if (this.pending.size) this.send();
      });
  }
}
