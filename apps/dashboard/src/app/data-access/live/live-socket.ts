import { ErrorHandler, inject, Injectable, signal } from '@angular/core';
import { LIVE_NAMESPACE, type LiveServerEvents } from '@smilepay/shared/contracts';
import { io, type Socket } from 'socket.io-client';
import { API_BASE_URL } from '../config/api-base-url';

/**
 * - connecting: first attempt in progress; live: connected;
 * - reconnecting: lost, socket.io is retrying with backoff;
 * - refused: the api rejected the handshake (bad or expired token) and will not be retried automatically;
 * - gave-up: all reconnection attempts failed; offline: not connected because nobody is signed in.
 */
export type LiveStatus = 'offline' | 'connecting' | 'live' | 'reconnecting' | 'refused' | 'gave-up';

type LiveEvent = keyof LiveServerEvents;
type Payload<E extends LiveEvent> = Parameters<LiveServerEvents[E]>[0];
type Handler<E extends LiveEvent> = (payload: Payload<E>) => void;

const liveEvents: readonly LiveEvent[] = ['payments.updated', 'kpi.updated', 'alert.raised', 'claim.updated'];

/** Backoff 1 s doubling to 10 s: 30 attempts are about 5 minutes before the header offers a manual retry. */
const reconnection = { reconnectionAttempts: 30, reconnectionDelay: 1_000, reconnectionDelayMax: 10_000, timeout: 10_000 };

/**
 * The one socket.io connection to the api's `/live` namespace. Stores register handlers here at any time; they
 * survive reconnects and sign-in changes because the socket dispatches to this registry, not to them directly.
 */
@Injectable({ providedIn: 'root' })
export class LiveSocket {
  private readonly baseUrl = inject(API_BASE_URL);
  private readonly errors = inject(ErrorHandler);
  private readonly handlers = new Map<LiveEvent, Set<(payload: never) => void>>();
  private readonly connectHandlers = new Set<() => void>();
  private socket: Socket<LiveServerEvents> | null = null;
  private token: string | null = null;

  private readonly statusState = signal<LiveStatus>('offline');
  readonly status = this.statusState.asReadonly();
  private readonly lastErrorState = signal<string | null>(null);
  readonly lastError = this.lastErrorState.asReadonly();

  connect(token: string): void {
    if (this.socket && this.token === token) return;
    this.disconnect();
    this.token = token;
    const socket: Socket<LiveServerEvents> = io(`${this.baseUrl}${LIVE_NAMESPACE}`, { auth: { token }, ...reconnection });
    this.socket = socket;
    this.statusState.set('connecting');
    socket.on('connect', () => {
      this.statusState.set('live');
      this.lastErrorState.set(null);
      this.connectHandlers.forEach((handler) => this.safely(handler, undefined));
    });
    socket.on('disconnect', (reason) => {
      // After a server-side disconnect socket.io does not reconnect by itself; anything else it retries.
      if (reason === 'io server disconnect') this.statusState.set('refused');
      else if (reason !== 'io client disconnect') this.statusState.set('reconnecting');
    });
    socket.on('connect_error', (error) => {
      this.lastErrorState.set(error.message);
      this.statusState.set(socket.active ? 'reconnecting' : 'refused');
    });
    socket.io.on('reconnect_failed', () => this.statusState.set('gave-up'));
    for (const event of liveEvents) {
      socket.on(event, ((payload: never) => this.dispatch(event, payload)) as never);
    }
  }

  /** A manual retry after `gave-up` or `refused`. */
  reconnect(): void {
    if (!this.socket) return;
    this.statusState.set('connecting');
    this.socket.connect();
  }

  disconnect(): void {
    this.socket?.removeAllListeners();
    this.socket?.io.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.token = null;
    this.statusState.set('offline');
  }

  /** Registers a handler for a server event; returns the function that removes it. */
  on<E extends LiveEvent>(event: E, handler: Handler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) {
      set = new Set();
      this.handlers.set(event, set);
    }
    const stored = handler as (payload: never) => void;
    set.add(stored);
    return () => set.delete(stored);
  }

  /** Runs on every (re)connection, so stores can re-read what they may have missed while disconnected. */
  onConnect(handler: () => void): () => void {
    this.connectHandlers.add(handler);
    return () => this.connectHandlers.delete(handler);
  }

  private dispatch(event: LiveEvent, payload: never): void {
    this.handlers.get(event)?.forEach((handler) => this.safely(handler, payload));
  }

  /** One failing handler must neither stop the others nor kill the socket's event loop. */
  private safely<T>(handler: (payload: T) => void, payload: T): void {
    try {
      handler(payload);
    } catch (error) {
      this.errors.handleError(error);
    }
  }
}
