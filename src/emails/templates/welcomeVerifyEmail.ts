// Data: the EMAIL_VERIFICATION outbox payload (src/accounts/oneTimeTokens.ts): token, expiresAt.
import { LINK_PATHS } from '../renderValues.js';
import { button, note, paragraph, type EmailTemplate } from './layout.js';

export const welcomeVerifyEmail: EmailTemplate = {
  subject: 'Welcome to {{brand.productName}}: please confirm your email',
  preview: 'One click to confirm your email address and finish setting up your account.',
  heading: 'Welcome to {{brand.productName}}',
  blocks: [
    paragraph(
      'Thank you for signing up. Please confirm that this is your email address, so that your receipts and ' +
        'account notices reach you.',
    ),
    button('Confirm my email', 'verifyUrl'),
    note('This link works until {{expiresAt}}. If you did not create an account, you can ignore this email.'),
  ],
  variables: (values) => ({
    verifyUrl: values.url('verifyUrl', () => values.link(LINK_PATHS.verifyEmail, { token: values.text('token') })),
    expiresAt: values.dateTime('expiresAt'),
  }),
};
