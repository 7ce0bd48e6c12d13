import { ChangeDetectionStrategy, Component, computed, effect, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthStore } from './data-access/auth/auth.store';
import { LiveSocket, type LiveStatus } from './data-access/live/live-socket';

const statusLabels: Record<LiveStatus, string> = {
  offline: 'Offline',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  refused: 'Live channel refused',
  'gave-up': 'Disconnected',
};

/** The shell: dark header with navigation, live-channel state and the signed-in user; pages render below. */
@Component({
  selector: 'sp-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly auth = inject(AuthStore);
  protected readonly live = inject(LiveSocket);
  protected readonly liveLabel = computed(() => statusLabels[this.live.status()]);
  protected readonly canRetryLive = computed(() => ['refused', 'gave-up'].includes(this.live.status()));
  protected readonly nav = [
    { path: '/live', label: 'Live' },
    { path: '/alerts', label: 'Alerts' },
    { path: '/claims', label: 'Claims' },
    { path: '/terminals', label: 'Terminals' },
    { path: '/customers', label: 'Customers' },
    { path: '/audit', label: 'Audit', roles: ['auditor', 'admin'] },
  ];

  constructor() {
    // One socket for the whole session: opened on sign-in, closed on sign-out.
    effect(() => {
      const token = this.auth.token();
      if (token) this.live.connect(token);
      else this.live.disconnect();
    });
  }

  protected signOut(): void {
    this.auth.signOut();
  }
}
