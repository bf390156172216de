import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { freePort } from './server-process.js';

export interface Inbox {
  url: string;
  /** Every message the server accepted, parsed, in order of arrival. */
  mail: ParsedMail[];
  /** When the server accepted `mail`. */
  receivedAt: (mail: ParsedMail) => Date;
  /** Refuses RCPT TO for addresses `refuse` returns an SMTP reply for ("550 …" or "451 …"). */
  refuse: (rule: ((address: string) => string | null) | null) => void;
  /**
   * Waits `ms` after a message has arrived (and counts as arrived) before replying 250: a sender
   * that dies meanwhile never learns that it was accepted, as with any mail server.
   */
  delayReplies: (ms: number) => void;
  /** Resolves with the first message `match` accepts, waiting up to `ms`. */
  waitFor: (match: (mail: ParsedMail) => boolean, ms?: number) => Promise<ParsedMail>;
  to: (address: string) => ParsedMail[];
  close: () => Promise<void>;
}

/** A real SMTP server in the test process (smtp-server), parsing what arrives with mailparser. */
export async function startInbox(): Promise<Inbox> {
  const mail: ParsedMail[] = [];
  const arrivals = new WeakMap<ParsedMail, Date>();
  let rule: ((address: string) => string | null) | null = null;
  let replyDelayMs = 0;
  const server = new SMTPServer({
    // Plain SMTP on localhost: nodemailer would otherwise upgrade to TLS, which needs a certificate.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const reply = rule?.(address.address);
      if (!reply) return callback();
      const error = Object.assign(new Error(reply.slice(4)), { responseCode: Number(reply.slice(0, 3)) });
      callback(error);
    },
    onData(stream, _session, callback) {
      const at = new Date();
      simpleParser(stream)
        .then((parsed) => {
          arrivals.set(parsed, at);
          mail.push(parsed);
          setTimeout(callback, replyDelayMs);
        })
        .catch(callback);
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const addressesOf = (parsed: ParsedMail) => [parsed.to ?? []].flat().flatMap((to) => to.value.map((entry) => entry.address));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mail,
    receivedAt: (parsed) => arrivals.get(parsed)!,
    refuse: (next) => (rule = next),
    delayReplies: (ms) => (replyDelayMs = ms),
    to: (address) => mail.filter((parsed) => addressesOf(parsed).includes(address)),
    async waitFor(match, ms = 30_000) {
      const until = Date.now() + ms;
      for (;;) {
        const found = mail.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no such mail within ${ms} ms; arrived: ${mail.map((parsed) => parsed.subject).join(' | ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const sentTo = (address: string) => (parsed: ParsedMail) =>
  [parsed.to ?? []].flat().some((to) => to.value.some((entry) => entry.address === address));
