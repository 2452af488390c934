// A real SMTP server for tests (smtp-server), keeping every accepted message parsed (postal-mime). Recipients can be
// scripted to be refused permanently (550) or, a number of times, transiently (421).
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface CaughtEmail extends Omit<Email, 'to'> {
  /** The envelope recipient. */
  to: string;
  raw: string;
}

export class SmtpCatcher {
  readonly received: CaughtEmail[] = [];
  private readonly refused = new Map<string, { code: number; times: number }>();
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      const rule = this.refused.get(address.address.toLowerCase());
      if (rule && rule.times > 0) {
        rule.times -= 1;
        const error = Object.assign(new Error(rule.code >= 500 ? 'No such mailbox' : 'Try again later'), {
          responseCode: rule.code,
        });
        callback(error);
        return;
      }
      callback();
    },
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        void PostalMime.parse(raw).then((email) => {
          for (const rcpt of session.envelope.rcptTo) this.received.push({ ...email, to: rcpt.address, raw });
          callback();
        }, callback);
      });
    },
  });
  port = 0;

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return `smtp://127.0.0.1:${this.port}`;
  }

  refuse(address: string, code: number, times = Infinity): void {
    this.refused.set(address.toLowerCase(), { code, times });
  }

  to(address: string): CaughtEmail[] {
    return this.received.filter((email) => email.to.toLowerCase() === address.toLowerCase());
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
