import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthStore } from './auth.store';

/** Lets signed-in users through; anyone else (or an expired session) goes to the login page and comes back after. */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthStore);
  if (auth.hasValidSession()) return true;
  const hadSession = auth.session() !== null;
  auth.clear();
  const queryParams = hadSession ? { reason: 'expired', returnUrl: state.url } : { returnUrl: state.url };
  return inject(Router).createUrlTree(['/login'], { queryParams });
};

/** The login page is for signed-out users only. */
export const signedOutGuard: CanActivateFn = () => {
  const auth = inject(AuthStore);
  return auth.hasValidSession() ? inject(Router).createUrlTree(['/live']) : true;
};
