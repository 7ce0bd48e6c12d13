/**
 * Production settings. The api serves the built dashboard, so requests and the socket go to the same origin.
 */
export const environment = {
  production: true,
  /** Prefix for REST calls and the socket.io connection; '' means the page's own origin. */
  apiBaseUrl: '',
};
