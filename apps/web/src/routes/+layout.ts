// The app renders in the browser only: the gateway serves /api on the same origin,
// and every page fetches its data from there with the session cookie.
export const ssr = false;
export const prerender = false;
export const trailingSlash = 'never';
