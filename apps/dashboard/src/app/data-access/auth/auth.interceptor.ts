import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, throwError } from 'rxjs';
import { API_BASE_URL } from '../config/api-base-url';
import { AuthStore } from './auth.store';

/**
 * Adds the bearer token to calls to our own api (and nowhere else, so it never leaks to another host), and sends
 * the user back to the login page when the api says the token is no longer good.
 */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  const auth = inject(AuthStore);
  const router = inject(Router);
  const apiPrefix = `${inject(API_BASE_URL)}/v1/`;
  if (!request.url.startsWith(apiPrefix)) return next(request);

  const isLogin = request.url === `${apiPrefix}auth/login`;
  const token = auth.token();
  const outgoing = token && !isLogin ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request;
  return next(outgoing).pipe(
    catchError((error: unknown) => {
      // Several calls can fail at once; only the first one still holding a session signs out and navigates.
      if (error instanceof HttpErrorResponse && error.status === 401 && !isLogin && auth.session() !== null) {
        auth.signOut('expired', router.url);
      }
      return throwError(() => error);
    }),
  );
};
