// The SMTP side of delivery: nodemailer over SMTP_URL (the dev mailbox that `npm start` runs, Mailpit in compose,
// or a real relay). No pooling: notices trickle, and a fresh connection per message keeps failures independent.
import nodemailer from 'nodemailer';
import type { Mailer, OutgoingEmail } from './deliverOutbox.js';

export function smtpMailer(smtpUrl: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(email: OutgoingEmail) {
      await transport.sendMail({
        from: email.from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        messageId: email.messageId,
        attachments: email.attachments,
      });
    },
    close: () => transport.close(),
  };
}
