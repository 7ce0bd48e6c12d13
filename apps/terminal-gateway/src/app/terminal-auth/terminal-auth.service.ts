import { Inject, Injectable, Logger } from '@nestjs/common';
import { CheckoutErrorCode, emptyBodySha256Hex, SignedHandshakeAuth, terminalAuthHeaders, terminalNamespace } from '@smilepay/checkout/contracts';
import { NonceRegistries, RequestVerifier, SignatureFailure, SigningKey, sha256Hex, VerifyResult } from '@smilepay/shared/request-signing';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import type { TerminalKey } from '../config/terminal-keys';
import { StageStats } from '../metrics/stage-stats';
import { NONCE_REGISTRIES } from './nonce-registries.provider';

export interface HttpRequestLike {
  method?: string;
  originalUrl?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string };
}

export type TerminalAuthResult<K extends SigningKey = TerminalKey> =
  | { ok: true; key: K }
  | { ok: false; code: CheckoutErrorCode; status: 401 | 503; message: string; keyId?: string };

/** The signing library's failure codes are the wire's auth codes; this table keeps the two checked against each other. */
const authCodes: Record<SignatureFailure, CheckoutErrorCode> = {
  auth_missing: CheckoutErrorCode.AuthMissing,
  auth_malformed: CheckoutErrorCode.AuthMalformed,
  auth_unknown_key: CheckoutErrorCode.AuthUnknownKey,
  auth_stale_timestamp: CheckoutErrorCode.AuthStaleTimestamp,
  auth_bad_signature: CheckoutErrorCode.AuthBadSignature,
  auth_replayed_nonce: CheckoutErrorCode.AuthReplayedNonce,
  auth_replay_cache_full: CheckoutErrorCode.AuthReplayCacheFull,
  auth_replay_store_unavailable: CheckoutErrorCode.AuthReplayStoreUnavailable,
};

export function toWire<K extends SigningKey>(result: VerifyResult<K>): TerminalAuthResult<K> {
  return result.ok ? result : { ...result, code: authCodes[result.code] };
}

/**
 * Terminal authentication for both transports: one verifier, so one nonce store covers HTTP requests and socket
 * handshakes alike. Failures are logged with the code, key id and peer address: never the signature or a secret.
 */
@Injectable()
export class TerminalAuthService {
  private readonly logger = new Logger('TerminalAuth');
  private readonly verifier: RequestVerifier<TerminalKey>;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    private readonly stats: StageStats,
    @Inject(NONCE_REGISTRIES) registries: NonceRegistries,
  ) {
    const { keys, windowMs, nonceTtlMs, nonceMaxEntries } = config.auth;
    this.verifier = new RequestVerifier(keys, { windowMs, nonces: registries.registry('terminal', nonceTtlMs, nonceMaxEntries) });
  }

  async verifyHttp(request: HttpRequestLike, body: Buffer): Promise<TerminalAuthResult> {
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const method = request.method ?? 'GET';
    const path = request.originalUrl ?? request.url ?? '/';
    const result = toWire(await this.verifier.verify({
      method,
      path,
      keyId: header(terminalAuthHeaders.keyId),
      timestamp: header(terminalAuthHeaders.timestamp),
      nonce: header(terminalAuthHeaders.nonce),
      signature: header(terminalAuthHeaders.signature),
      bodySha256Hex: sha256Hex(body),
    }));
    this.report(result, `${method} ${path}`, request.socket?.remoteAddress);
    return result;
  }

  /** The socket.io handshake is signed as `GET /terminal` with an empty body (see terminal-auth.ts in contracts). */
  async verifyHandshake(auth: Partial<SignedHandshakeAuth> | undefined, peer: string | undefined): Promise<TerminalAuthResult> {
    const a = auth ?? {};
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const result = toWire(await this.verifier.verify({
      method: 'GET',
      path: terminalNamespace,
      keyId: str(a.keyId),
      timestamp: str(a.timestamp),
      nonce: str(a.nonce),
      signature: str(a.signature),
      bodySha256Hex: emptyBodySha256Hex,
    }));
    this.report(result, `socket ${terminalNamespace}`, peer);
    return result;
  }

  private report(result: TerminalAuthResult, what: string, peer: string | undefined): void {
    if (result.ok) return;
    this.stats.count(`auth.${result.code}`);
    this.logger.warn(`refused ${what} from ${peer ?? 'unknown peer'}: ${result.code} (key ${result.keyId ?? 'none'})`);
  }
}
