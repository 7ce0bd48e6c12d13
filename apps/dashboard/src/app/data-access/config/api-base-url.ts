import { InjectionToken } from '@angular/core';
import { environment } from '../../../environments/environment';

/**
 * Prefix of every REST call and of the socket.io connection. '' (the default) is the page's own origin, which is
 * how the demo runs: the api serves the built dashboard.
 */
export const API_BASE_URL = new InjectionToken<string>('API_BASE_URL', {
  providedIn: 'root',
  factory: () => environment.apiBaseUrl.replace(/\/+$/, ''),
});
