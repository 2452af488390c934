// Beside the input, the keys of the rows the API has confirmed, one a line (JSON), appended as batches finish: a resumed
// import skips them without asking. A row sent but not confirmed when the import stopped is sent again; the API's
// uniqueness of externalId makes that harmless (the import counts it as already there).
import { appendFile, readFile } from 'node:fs/promises';

export class ImportState {
  private constructor(
    readonly path: string,
    readonly done: Set<string>,
  ) {}

  static async open(inputPath: string): Promise<ImportState> {
    const path = `${inputPath}.import-state`;
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return new ImportState(path, new Set(text.split('\n').flatMap(parseLine)));
  }

  async confirm(keys: string[]) {
    if (keys.length === 0) return;
    for (const key of keys) this.done.add(key);
    // One write per batch, whole lines only: a kill leaves at most a partial last line, which matches no key.
    // JSON strings: a key may hold any character, a newline included.
    await appendFile(this.path, keys.map((key) => `${JSON.stringify(key)}\n`).join(''), { mode: 0o600 });
  }
}

function parseLine(line: string): string[] {
  try {
    const key: unknown = JSON.parse(line);
    return typeof key === 'string' ? [key] : [];
  } catch {
    return [];
  }
}
