import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requestPasswordReset, resetPassword, verifyEmail } from '../../accounts/emailAndPassword.js';
import { changePassword } from '../../accounts/changePassword.js';
import { register } from '../../accounts/register.js';
import { login, logout, refreshSession } from '../../accounts/sessions.js';
import { requireCaller } from '../../kernel/policy.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../kernel/errors.js';
import { Customer, User } from '../../entities/index.js';
import { RateLimitedError } from '../rateLimited.js';
import type { GraphQLContext } from '../context.js';
import { ChangePasswordInput, LoginInput, RegisterInput, ResetPasswordInput } from '../types/inputs.js';
import { AuthPayload } from '../types/payloads.js';

@Resolver(() => User)
export class AccountResolver {
  @Mutation(() => User, {
    description: 'Creates a CUSTOMER account and its customer profile; a verification email is queued.',
  })
  register(@Ctx() { em }: GraphQLContext, @Arg('input', () => RegisterInput) input: RegisterInput): Promise<User> {
    return register(em, { ...input });
  }

  @Mutation(() => AuthPayload)
  async login(@Ctx() context: GraphQLContext, @Arg('input', () => LoginInput) input: LoginInput): Promise<AuthPayload> {
    const { perEmail, perAddress } = context.loginLimiter;
    for (const [limiter, key] of [
      [perEmail, input.email.trim().toLowerCase()],
      [perAddress, context.clientAddress],
    ] as const) {
      const { allowed, retryAfterSeconds } = limiter.take(key);
      if (!allowed) throw new RateLimitedError('too many login attempts', retryAfterSeconds);
    }
    return login(context.em, context.sessions, input.email, input.password);
  }

  @Mutation(() => AuthPayload, {
    description: 'Trades a refresh token for a new session (the old token stops working).',
  })
  refreshToken(
    @Ctx() { em, sessions }: GraphQLContext,
    @Arg('refreshToken') refreshToken: string,
  ): Promise<AuthPayload> {
    return refreshSession(em, sessions, refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Ends the session (every token of that login).' })
  logout(@Ctx() { em }: GraphQLContext, @Arg('refreshToken') refreshToken: string): Promise<boolean> {
    return logout(em, refreshToken);
  }

  @Mutation(() => User)
  verifyEmail(@Ctx() { em }: GraphQLContext, @Arg('token') token: string): Promise<User> {
    return verifyEmail(em, token);
  }

  @Mutation(() => Boolean, { description: 'Always true, whether or not the email has an account.' })
  requestPasswordReset(@Ctx() { em }: GraphQLContext, @Arg('email') email: string): Promise<true> {
    return requestPasswordReset(em, email);
  }

  @Mutation(() => User, { description: 'Sets a new password and signs out every session.' })
  resetPassword(
    @Ctx() { em }: GraphQLContext,
    @Arg('input', () => ResetPasswordInput) input: ResetPasswordInput,
  ): Promise<User> {
    return resetPassword(em, input.token, input.password);
  }

  @Mutation(() => AuthPayload, {
    description:
      'Signed-in people: changes the password after checking the current one, signs out every session, and ' +
      'answers with a new one for this device.',
  })
  async changePassword(
    @Ctx() context: GraphQLContext,
    @Arg('input', () => ChangePasswordInput) input: ChangePasswordInput,
  ): Promise<AuthPayload> {
    // Guessing the current password with a stolen access token costs the same budget as guessing it at login.
    if (context.caller.kind === 'user') {
      const { allowed, retryAfterSeconds } = context.loginLimiter.perEmail.take(`user:${context.caller.userId}`);
      if (!allowed) throw new RateLimitedError('too many password attempts', retryAfterSeconds);
    }
    return changePassword(context.em, context.caller, context.sessions, input);
  }

  @Query(() => User, { description: 'The signed-in user.' })
  async me(@Ctx() { em, caller }: GraphQLContext): Promise<User> {
    const known = requireCaller(caller);
    // A hosted page acts for a customer, not as anyone who signs in: it has no user to show.
    if (known.kind === 'hostedSession')
      throw new ForbiddenError('a hosted session acts for its customer, not as a user');
    if (known.kind !== 'user') throw new UnauthenticatedError('API keys act as a client app, not as a user');
    const user = await em.findOne(User, { id: known.userId });
    if (!user) throw new NotFoundError('User', known.userId);
    return user;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer profile a CUSTOMER user manages.' })
  customer(@Root() user: User, @Ctx() { loaders }: GraphQLContext): Promise<Customer | null> {
    return user.customer ? loaders.customerById.load(user.customer.id) : Promise.resolve(null);
  }
}
