import { escapeHtml, type MailMessage } from '@atelier/platform';
import type { Role } from '@atelier/contracts';

const layout = (paragraphs: string[], link: { href: string; label: string }) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328">` +
  paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
  `<p><a href="${escapeHtml(link.href)}" style="display:inline-block;padding:8px 16px;background:#1f6feb;color:#fff;border-radius:6px;text-decoration:none">${escapeHtml(link.label)}</a></p>` +
  `<p style="color:#59636e;font-size:13px">${escapeHtml(link.href)}</p></body></html>`;

export function invitationMail(i: { to: string; agencyName: string; inviterName: string; role: Role; link: string; expiresAt: Date }): MailMessage {
  const lines = [
    `${i.inviterName} invited you to join ${i.agencyName} on Atelier as ${i.role}.`,
    `The invitation is valid until ${i.expiresAt.toUTCString()}. If you already have an Atelier account, sign in with this email address to accept it.`,
  ];
  return {
    to: i.to,
    subject: `${i.inviterName} invited you to ${i.agencyName} on Atelier`,
    text: `${lines.join('\n\n')}\n\nAccept the invitation:\n${i.link}\n`,
    html: layout(lines, { href: i.link, label: 'Accept the invitation' }),
  };
}

export function passwordResetMail(r: { to: string; link: string; validMinutes: number }): MailMessage {
  const lines = [
    'Someone asked to reset the password of your Atelier account.',
    `The link works once and for ${r.validMinutes} minutes. If it was not you, ignore this email: your password stays as it is.`,
  ];
  return {
    to: r.to,
    subject: 'Reset your Atelier password',
    text: `${lines.join('\n\n')}\n\nChoose a new password:\n${r.link}\n`,
    html: layout(lines, { href: r.link, label: 'Choose a new password' }),
  };
}
