import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';

export interface MailSettings {
  /** SMTP_URL: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465`. */
  smtpUrl: string | undefined;
  /** MAIL_FROM: the sender every message shows. */
  from: string;
  /** MAIL_DIR: without SMTP_URL, each message is written here as an .eml file instead of sent. */
  dir: string;
}

/** MAIL_CONCURRENCY: messages a worker process sends at once, over as many SMTP connections. */
export const mailConcurrency = Math.max(1, Number(process.env.MAIL_CONCURRENCY ?? 8));

export const mailSettings: MailSettings = {
  smtpUrl: process.env.SMTP_URL || undefined,
  from: process.env.MAIL_FROM ?? 'Event registration <registration@localhost>',
  dir: resolve(process.env.MAIL_DIR ?? '.data/mail'),
};

/** Why SMTP_URL can't be used, on one line and without its password, or null when it can. */
export function smtpUrlProblem(value: string | undefined): string | null {
  if (!value) return null;
  const example = 'smtp://user:password@host:587 (or smtps://…:465)';
  if (!URL.canParse(value)) return `SMTP_URL is not a URL: expected ${example}`;
  const url = new URL(value);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') return `SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//: expected ${example}`;
  if (!url.hostname) return `SMTP_URL names no host: expected ${example}`;
  return null;
}

export interface Delivery {
  /** Hands the message over: to the SMTP server, or to a file. Rejects with the server's reason. */
  send(message: Mail.Options): Promise<void>;
  /** Where messages go, for the start-up log (never the password). */
  describe: string;
  /** Resolves when the SMTP server answers and accepts our login; files need nothing. */
  verify(): Promise<void>;
  close(): void;
}

/** nodemailer's SMTP client with SMTP_URL, otherwise .eml files in MAIL_DIR. */
export function createDelivery(settings = mailSettings, connections = mailConcurrency): Delivery {
  if (settings.smtpUrl) {
    const url = new URL(settings.smtpUrl);
    // A server that doesn't answer is given up on within seconds (nodemailer waits minutes by default).
    // Pooled: a connection (and its TLS and login) carries many messages, up to `connections` at once.
    const transport = nodemailer.createTransport(
      { url: settings.smtpUrl, pool: true, maxConnections: connections, maxMessages: 100, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 },
      { from: settings.from },
    );
    return {
      describe: `SMTP ${url.protocol}//${url.host}`,
      send: async (message) => void (await transport.sendMail(message)),
      verify: async () => void (await transport.verify()),
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from: settings.from });
  return {
    describe: `.eml files in ${settings.dir}`,
    async send(message) {
      const info = await transport.sendMail(message);
      await mkdir(settings.dir, { recursive: true });
      // Sortable by time; the Message-ID (random) keeps two messages of one millisecond apart.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`;
      await writeFile(join(settings.dir, name), info.message as Buffer);
    },
    verify: async () => {},
    close: () => transport.close(),
  };
}
