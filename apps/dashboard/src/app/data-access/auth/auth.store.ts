import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { LoginRequest, LoginResponse } from '@smilepay/shared/contracts';
import { firstValueFrom } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url';
import { asSession, canActAs, isExpired, readStoredSession, SESSION_STORAGE_KEY } from './session';

export type SignOutReason = 'signed-out' | 'expired';

/** Who is signed in, kept in sessionStorage so a reload keeps the session but closing the tab ends it. */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly baseUrl = inject(API_BASE_URL);
  private readonly storage = typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  private readonly state = signal<LoginResponse | null>(readStoredSession(this.storage));

  readonly session = this.state.asReadonly();
  readonly token = computed(() => this.state()?.token ?? null);
  readonly username = computed(() => this.state()?.username ?? null);
  readonly role = computed(() => this.state()?.role);
  /** Analysts and admins act on alerts and claims; auditors browse read-only. */
  readonly canAct = computed(() => canActAs(this.role()));

  hasValidSession(nowMs = Date.now()): boolean {
    const session = this.state();
    return session !== null && !isExpired(session, nowMs);
  }

  async login(request: LoginRequest): Promise<LoginResponse> {
    const response = await firstValueFrom(this.http.post<unknown>(`${this.baseUrl}/v1/auth/login`, request));
    const session = asSession(response);
    if (!session) throw new Error('The api answered the login with an unexpected body.');
    this.storage?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    this.state.set(session);
    return session;
  }

  /** Forgets the session and shows the login page, remembering where the user was when it expired. */
  signOut(reason: SignOutReason = 'signed-out', returnUrl?: string): void {
    this.clear();
    const queryParams = reason === 'expired' ? { reason, returnUrl } : {};
    void this.router.navigate(['/login'], { queryParams });
  }

  clear(): void {
    this.storage?.removeItem(SESSION_STORAGE_KEY);
    this.state.set(null);
  }
}
