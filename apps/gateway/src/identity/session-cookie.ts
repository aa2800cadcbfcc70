import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import { isHttps, type GatewayConfig } from '../config.js';

/** Over https the cookie takes the `__Host-` prefix, which browsers only accept with Secure, Path=/ and no Domain. */
export const sessionCookieName = (config: GatewayConfig) => (isHttps(config) ? '__Host-atelier_session' : 'atelier_session');

export const readSessionCookie = (config: GatewayConfig, req: Request): string | undefined => {
  const header = req.headers.cookie;
  return header ? parse(header)[sessionCookieName(config)] : undefined;
};

export function setSessionCookie(config: GatewayConfig, res: Response, token: string) {
  res.append(
    'Set-Cookie',
    serialize(sessionCookieName(config), token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: isHttps(config),
      path: '/',
      maxAge: config.SESSION_TTL_HOURS * 3600,
    }),
  );
}

export function clearSessionCookie(config: GatewayConfig, res: Response) {
  res.append('Set-Cookie', serialize(sessionCookieName(config), '', { httpOnly: true, sameSite: 'lax', secure: isHttps(config), path: '/', maxAge: 0 }));
}
