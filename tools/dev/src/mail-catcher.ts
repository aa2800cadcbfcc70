import { MailDev } from 'maildev';

export interface MailCatcher {
  smtpPort: number;
  webUrl: string;
  stop(): Promise<void>;
}

/**
 * maildev for `npm start`: every service sends its mail here (SMTP on `smtpPort`) and a person
 * reads it on the web page. Nothing leaves the machine.
 */
export async function startMailCatcher(smtpPort: number, webPort: number): Promise<MailCatcher> {
  const maildev = new MailDev({ smtp: smtpPort, web: webPort, ip: '127.0.0.1', webIp: '127.0.0.1', silent: true });
  await maildev.start();
  return { smtpPort, webUrl: `http://localhost:${webPort}`, stop: () => maildev.stop() };
}
