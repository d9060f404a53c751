/**
 * Draws the Teams icons in code (a shield with a tick), so they can be regenerated and reviewed
 * without an image editor. Shapes are tested per pixel with 4x4 supersampling for smooth edges.
 */
import pngjs from 'pngjs';

const { PNG } = pngjs;

/** The app's accent colour, also in manifest.json and slack.yaml. */
export const ACCENT = { r: 0x1f, g: 0x6f, b: 0x8b } as const;

type Rgb = { r: number; g: number; b: number };
/** A shape in unit coordinates: (0,0) top left, (1,1) bottom right. */
type Shape = (x: number, y: number) => boolean;

/** A shield whose sides run straight to `waist`, then curve in to a point at `bottom`. */
function shield(left: number, right: number, top: number, waist: number, bottom: number): Shape {
  const centre = (left + right) / 2;
  const half = (right - left) / 2;

  return (x, y) => {
    if (y < top || y > bottom) return false;

    const width =
      y <= waist ? half : half * Math.cos(((y - waist) / (bottom - waist)) * (Math.PI / 2));
    return Math.abs(x - centre) <= width;
  };
}

/** Points within `radius` of the segment from a to b. */
function stroke(ax: number, ay: number, bx: number, by: number, radius: number): Shape {
  return (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= radius;
  };
}

/** A tick inside the shield, as two strokes. */
function tick(radius: number): Shape {
  const down = stroke(0.37, 0.5, 0.46, 0.6, radius);
  const up = stroke(0.46, 0.6, 0.64, 0.38, radius);
  return (x, y) => down(x, y) || up(x, y);
}

/** Fraction of the pixel's 16 sample points that fall inside the shape. */
function coverage(shape: Shape, px: number, py: number, size: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      if (shape((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)) hits++;
    }
  }

  return hits / 16;
}

/** Renders an image by asking `paint` for each pixel's RGBA. */
function render(
  size: number,
  paint: (px: number, py: number) => [number, number, number, number],
): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      png.data.set(paint(px, py).map(Math.round), (py * size + px) * 4);
    }
  }

  return PNG.sync.write(png);
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return { r: a.r + (b.r - a.r) * t, g: a.g + (b.g - a.g) * t, b: a.b + (b.b - a.b) * t };
}

const WHITE: Rgb = { r: 255, g: 255, b: 255 };

/** The 192x192 full-colour icon: a white shield with an accent tick on an accent square. */
export function drawColorIcon(): Buffer {
  const size = 192;
  const body = shield(0.24, 0.76, 0.15, 0.5, 0.88);
  const mark = tick(0.055);

  return render(size, (px, py) => {
    const onShield = mix(ACCENT, WHITE, coverage(body, px, py, size));
    const colour = mix(onShield, ACCENT, coverage(mark, px, py, size));
    return [colour.r, colour.g, colour.b, 255];
  });
}

/** The 32x32 outline icon: the shield's rim and the tick in white on transparent, as Teams asks. */
export function drawOutlineIcon(): Buffer {
  const size = 32;
  const outer = shield(0.16, 0.84, 0.06, 0.48, 0.96);
  const inner = shield(0.27, 0.73, 0.16, 0.48, 0.83);
  const rim: Shape = (x, y) => outer(x, y) && !inner(x, y);
  const mark = tick(0.06);

  return render(size, (px, py) => {
    const alpha = Math.max(coverage(rim, px, py, size), coverage(mark, px, py, size));
    return [255, 255, 255, alpha * 255];
  });
}
