import { graphql } from '../graphql';

export const SessionFields = graphql(`
  fragment SessionFields on AuthPayload {
    accessToken
    accessTokenExpiresAt
    refreshToken
    user {
      id
      role
    }
  }
`);

export const LoginMutation = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      ...SessionFields
    }
  }
`);

export const RefreshMutation = graphql(`
  mutation Refresh($refreshToken: String!) {
    refreshToken(refreshToken: $refreshToken) {
      ...SessionFields
    }
  }
`);

export const LogoutMutation = graphql(`
  mutation Logout($refreshToken: String!) {
    logout(refreshToken: $refreshToken)
  }
`);

export const RegisterMutation = graphql(`
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      id
      email
    }
  }
`);

export const VerifyEmailMutation = graphql(`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token) {
      id
      emailVerifiedAt
    }
  }
`);

export const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

export const ResetPasswordMutation = graphql(`
  mutation ResetPassword($input: ResetPasswordInput!) {
    resetPassword(input: $input) {
      id
    }
  }
`);

// A hosted page's session (docs/hosted-pages.md): what redeemHostedSession answers, and what the page keeps.
export const HostedSessionFields = graphql(`
  fragment HostedSessionFields on HostedSessionLogin {
    kind
    accessToken
    accessTokenExpiresAt
    appName
    customer {
      id
      name
      email
      phone
      locale
    }
    plan {
      ...PlanFields
    }
    quantity
    couponCode
    successUrl
    cancelUrl
    returnUrl
  }
`);

export const RedeemHostedSessionMutation = graphql(`
  mutation RedeemHostedSession($token: String!) {
    redeemHostedSession(token: $token) {
      ...HostedSessionFields
    }
  }
`);
