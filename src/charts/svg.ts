/**
 * What every chart shares: hand-written SVG rendered to PNG by @resvg/resvg-js (a prebuilt binary
 * shipped in an npm package: no native build, no download at install) with DejaVu Sans from the
 * dejavu-fonts-ttf package, so text renders the same on machines without system fonts.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);
const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
export const CHART_FONT = 'DejaVu Sans';

/** Escapes text for SVG element content and attribute values. */
export const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One <text> element in the chart font. */
export function svgText(x: number, y: number, s: string, o: { size?: number; anchor?: string; fill?: string; weight?: string } = {}): string {
  return `<text x="${x}" y="${y}" font-family="${CHART_FONT}" font-size="${o.size ?? 12}" text-anchor="${o.anchor ?? 'start'}" fill="${o.fill ?? '#212121'}"${o.weight ? ` font-weight="${o.weight}"` : ''}>${xml(s)}</text>`;
}

/** An SVG document → PNG bytes, white background, system fonts ignored. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [FONT_FILE], defaultFontFamily: CHART_FONT }, background: '#ffffff' });
  return Buffer.from(resvg.render().asPng());
}

/** The SVG document around a chart's parts, `w`×`h` pixels. */
export function svgDocument(w: number, h: number, parts: readonly string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${parts.join('')}</svg>`;
}
