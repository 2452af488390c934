// The QR code an eTIMS-signed invoice must print (docs/tax.md): KRA's receipt check URL, drawn by the page and the
// PDF from the same grid of modules. Drawn rather than linked as an image: the invoice page loads nothing from
// anywhere (its Content-Security-Policy forbids images), and the PDF stays one self-contained file.
import QRCode from 'qrcode';

export interface QrGrid {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** Each dark run of modules on a row: [x, y, length]. Runs, not modules: far fewer shapes to draw. */
  runs: [number, number, number][];
}

/** The modules that are dark, as runs along each row. Error correction M: a printed code survives a smudge. */
export function qrGrid(text: string): QrGrid {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const runs: [number, number, number][] = [];
  for (let y = 0; y < modules.size; y += 1) {
    let start = -1;
    for (let x = 0; x <= modules.size; x += 1) {
      const dark = x < modules.size && Boolean(modules.get(y, x));
      if (dark && start < 0) start = x;
      if (!dark && start >= 0) {
        runs.push([start, y, x - start]);
        start = -1;
      }
    }
  }
  return { size: modules.size, runs };
}

/** The quiet zone the standard asks for around the code, in modules. */
export const QR_QUIET_ZONE = 4;

/** An SVG path of the dark runs, in module units, offset by the quiet zone. */
export function qrSvgPath(grid: QrGrid): string {
  return grid.runs
    .map(([x, y, length]) => `M${x + QR_QUIET_ZONE} ${y + QR_QUIET_ZONE}h${length}v1h-${length}z`)
    .join('');
}
