// A progress bar on stderr (so stdout stays for results): redrawn in place on a terminal, plain lines every tenth
// otherwise (a CI log, a file).

export class Progress {
  private done = 0;
  /** Rows counted done before this run sent anything (a resumed import): not in the rate. */
  private skipped = 0;
  private lastTenth = -1;
  private lastDraw = 0;
  private readonly started = Date.now();
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly quiet = false,
  ) {}

  /** Rows already done before this run (confirmed in the state file). */
  skip(count: number) {
    this.skipped += count;
    this.advance(count);
  }

  advance(count: number) {
    this.done += count;
    if (this.quiet || this.total === 0) return;
    const now = Date.now();
    if (this.tty) {
      if (now - this.lastDraw < 100 && this.done < this.total) return;
      this.lastDraw = now;
      const width = 30;
      const filled = Math.round((this.done / this.total) * width);
      process.stderr.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.status(now)}`);
      if (this.done >= this.total) process.stderr.write('\n');
      return;
    }
    const tenth = Math.floor((this.done / this.total) * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    process.stderr.write(`${this.label} ${this.status(now)}\n`);
  }

  private status(now: number) {
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const percent = Math.floor((this.done / this.total) * 100);
    return `${this.done}/${this.total} ${percent}% ${Math.round((this.done - this.skipped) / seconds)} rows/s`;
  }
}
