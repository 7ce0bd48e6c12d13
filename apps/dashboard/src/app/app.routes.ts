import { Route } from '@angular/router';
import { authGuard, signedOutGuard } from './data-access/auth/auth.guard';

/** Every page is lazy, so the login page does not download the charts. */
export const appRoutes: Route[] = [
  {
    path: 'login',
    canActivate: [signedOutGuard],
    title: 'Sign in · smilepay',
    loadComponent: () => import('./feature-login/login-page').then((m) => m.LoginPage),
  },
  {
    path: '',
    canActivateChild: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'live' },
      {
        path: 'live',
        title: 'Live · smilepay',
        loadComponent: () => import('./feature-live/live-page').then((m) => m.LivePage),
      },
      {
        path: 'payments/:paymentId',
        title: 'Payment · smilepay',
        loadComponent: () => import('./feature-payment/payment-page').then((m) => m.PaymentPage),
      },
      {
        path: 'alerts',
        title: 'Alerts · smilepay',
        loadComponent: () => import('./feature-alerts/alerts-page').then((m) => m.AlertsPage),
      },
      {
        path: 'claims',
        title: 'Claims · smilepay',
        loadComponent: () => import('./feature-claims/claims-page').then((m) => m.ClaimsPage),
        children: [
          {
            path: ':claimId',
            loadComponent: () => import('./feature-claims/claim-detail').then((m) => m.ClaimDetail),
          },
        ],
      },
      {
        path: 'terminals',
        title: 'Terminals · smilepay',
        loadComponent: () => import('./feature-terminals/terminals-page').then((m) => m.TerminalsPage),
      },
      {
        path: 'customers',
        title: 'Customers · smilepay',
        loadComponent: () => import('./feature-customers/customers-page').then((m) => m.CustomersPage),
        children: [
          {
            path: ':customerId',
            loadComponent: () => import('./feature-customers/customer-balance').then((m) => m.CustomerBalance),
          },
        ],
      },
      { path: 'audit', title: 'Audit · smilepay', loadComponent: () => import('./feature-audit/audit-page').then((m) => m.AuditPage) },
      { path: '**', redirectTo: 'live' },
    ],
  },
];
