// A standalone sandbox (`npm start` runs each as a child) closes its server on SIGINT or SIGTERM, once, and exits.
export function closeOnSignals(name: string, close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.log(`${name}: ${signal}, closing`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${name}: close failed`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
