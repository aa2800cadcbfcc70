import { z } from 'zod';

/** billing-service's PDF variables, spread into its env schema (see config.ts). */
export const pdfEnv = {
  /** Pages kept open in the one browser: how many PDFs render at once; more wait their turn. */
  PDF_POOL_SIZE: z.coerce.number().int().min(1).max(16).default(2),
  /** A render (load and print) that takes longer fails and its page is thrown away. */
  PDF_RENDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Launch the browser when the service starts rather than at its first PDF. */
  PDF_WARM_START: z.stringbool().default(false),
  /** A Chromium of the host's instead of the one @sparticuz/chromium ships. */
  CHROME_PATH: z.string().min(1).optional(),
};

export interface PdfRendererConfig {
  poolSize: number;
  renderTimeoutMs: number;
  warmStart?: boolean;
  chromePath?: string;
}

type PdfEnv = z.infer<z.ZodObject<typeof pdfEnv>>;

export const pdfRendererConfig = (env: PdfEnv): PdfRendererConfig => ({
  poolSize: env.PDF_POOL_SIZE,
  renderTimeoutMs: env.PDF_RENDER_TIMEOUT_MS,
  warmStart: env.PDF_WARM_START,
  chromePath: env.CHROME_PATH,
});
