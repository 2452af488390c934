// Data: the PASSWORD_RESET outbox payload (src/accounts/oneTimeTokens.ts): token, expiresAt.
import { LINK_PATHS } from '../renderValues.js';
import { button, note, paragraph, type EmailTemplate } from './layout.js';

export const passwordReset: EmailTemplate = {
  subject: 'Reset your {{brand.productName}} password',
  preview: 'Use the link inside to choose a new password.',
  heading: 'Reset your password',
  blocks: [
    paragraph('We received a request to reset the password of your {{brand.productName}} account.'),
    button('Choose a new password', 'resetUrl'),
    note(
      'This link works once, until {{expiresAt}}. If you did not ask for it, ignore this email: your password ' +
        'stays as it is.',
    ),
  ],
  variables: (values) => ({
    resetUrl: values.url('resetUrl', () => values.link(LINK_PATHS.resetPassword, { token: values.text('token') })),
    expiresAt: values.dateTime('expiresAt'),
  }),
};
