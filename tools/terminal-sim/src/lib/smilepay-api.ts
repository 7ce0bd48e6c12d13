import { randomUUID } from 'node:crypto';

/** The few admin calls the demo makes against the api, as an operator would with curl. */
export class SmilepayApi {
  private constructor(
    readonly url: string,
    readonly token: string,
  ) {}

  static async login(url: string, username: string, password: string): Promise<SmilepayApi> {
    const response = await fetch(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!response.ok) throw new Error(`api login as ${username} failed: ${response.status} ${await response.text()}`);
    return new SmilepayApi(url, ((await response.json()) as { token: string }).token);
  }

  async post<T = unknown>(path: string, body: unknown): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  async get<T = unknown>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
}
