// The Mantine theme from the brand: its colour becomes the primary palette (ten shades mixed towards white and
// black, the brand's own colour at the shade Mantine uses for filled buttons), and text uses the system fonts.
import {
  createTheme,
  defaultVariantColorsResolver,
  parseThemeColor,
  type MantineColorsTuple,
  type VariantColorsResolver,
} from '@mantine/core';
import type { Brand } from './pageSettings';

const SYSTEM_FONTS =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif';

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex(rgb: number[]): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

function mix(hex: string, towards: number, weight: number): string {
  return toHex(channels(hex).map((channel) => channel + (towards - channel) * weight));
}

/** Shades 0 (lightest) to 9; shade 6 is the brand colour itself. */
export function brandShades(hex: string): MantineColorsTuple {
  const lighter = [0.92, 0.8, 0.66, 0.5, 0.34, 0.16].map((weight) => mix(hex, 255, weight));
  const darker = [0.15, 0.3, 0.45].map((weight) => mix(hex, 0, weight));
  return [...lighter, hex, ...darker] as unknown as MantineColorsTuple;
}

/**
 * Light buttons and badges write in their colour's shade 6 on a tint of it, under 4.5:1 for red, orange or green
 * (axe): their text takes the darkest shade instead.
 */
const readableLightVariant: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'light') return colors;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  return parsed.isThemeColor ? { ...colors, color: `var(--mantine-color-${parsed.color}-9)` } : colors;
};

export function themeFor(brand: Brand) {
  return createTheme({
    colors: { brand: brandShades(brand.primaryColor) },
    primaryColor: 'brand',
    primaryShade: 6,
    autoContrast: true,
    fontFamily: SYSTEM_FONTS,
    headings: { fontFamily: SYSTEM_FONTS },
    focusRing: 'auto',
    defaultRadius: 'md',
    variantColorResolver: readableLightVariant,
  });
}
