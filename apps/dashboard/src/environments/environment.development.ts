/**
 * `nx serve dashboard` settings. The dev server proxies /v1 and /socket.io to the api (proxy.conf.json), so the
 * same-origin default still works; set apiBaseUrl to e.g. 'http://127.0.0.1:3000' to skip the proxy.
 */
export const environment = {
  production: false,
  apiBaseUrl: '',
};
