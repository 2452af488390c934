import { Command } from 'commander';
import { GraphQLClient } from '../client.js';
import { apiUrlOf } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { AUTH_FIELDS, forgetSession, loadSession, saveSession, sessionPath, type Session } from '../session.js';

/** A line from the terminal; with `hidden`, nothing is echoed (a password). Off a terminal: the next stdin line. */
async function prompt(question: string, hidden: boolean): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    const line = await new Promise<string>((resolve) => {
      let text = '';
      input.setEncoding('utf8');
      const onData = (chunk: string) => {
        text += chunk;
        const end = text.indexOf('\n');
        if (end !== -1) {
          input.off('data', onData);
          input.pause();
          resolve(text.slice(0, end));
        }
      };
      input.on('data', onData);
      input.once('end', () => resolve(text));
    });
    return line.replace(/\r$/, '');
  }
  process.stderr.write(question);
  input.setRawMode(hidden);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\u0003') {
          input.setRawMode(false);
          reject(new CliError('login canceled', EXIT.USAGE));
          return;
        }
        if (char === '\r' || char === '\n') {
          input.off('data', onData);
          input.setRawMode(false);
          input.pause();
          if (hidden) process.stderr.write('\n');
          resolve(text);
          return;
        }
        if (char === '\u007f') text = text.slice(0, -1);
        else text += char;
      }
    };
    input.on('data', onData);
  });
}

export function loginCommands(): Command[] {
  const login = new Command('login')
    .description(`sign in as a person (email and password); the session is kept in ${sessionPath()} (mode 0600)`)
    .option('--email <email>', 'your email (asked when not given)')
    .action(async (options: { email?: string }, command: Command) => {
      const apiUrl = apiUrlOf(command);
      const email = options.email ?? (await prompt('Email: ', false));
      const password = await prompt('Password: ', true);
      const client = new GraphQLClient({ apiUrl });
      const { login: payload } = await client.request<{ login: Omit<Session, 'apiUrl' | 'email'> }>(
        `mutation ($input: LoginInput!) { login(input: $input) { ${AUTH_FIELDS} } }`,
        { input: { email, password } },
      );
      await saveSession({ apiUrl, email, ...payload });
      process.stderr.write(`signed in to ${apiUrl} as ${email}\n`);
    });
  const logout = new Command('logout')
    .description('end the remembered session (on the API too) and delete its file')
    .action(async () => {
      const session = await loadSession();
      if (!session) return;
      const client = new GraphQLClient({ apiUrl: session.apiUrl });
      // Signed out on the API when it can be reached; the file goes either way.
      await client
        .request('mutation ($token: String!) { logout(refreshToken: $token) }', { token: session.refreshToken })
        .catch(() => undefined);
      await forgetSession();
      process.stderr.write(`signed out of ${session.apiUrl}\n`);
    });
  return [login, logout];
}
