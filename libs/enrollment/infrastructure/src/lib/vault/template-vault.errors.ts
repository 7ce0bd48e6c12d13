/**
 * Typed vault failures. `template_erased` is the promise of erasure: once a customer's data key is destroyed, every
 * path to their templates ends here, never in plaintext.
 */
export type TemplateVaultErrorCode =
  'template_not_found' | 'template_erased' | 'template_tampered' | 'template_ref_taken';

export class TemplateVaultError extends Error {
  constructor(
    readonly code: TemplateVaultErrorCode,
    readonly ref: string,
  ) {
    super(`template ${ref}: ${code.replace(/_/g, ' ')}`);
    this.name = 'TemplateVaultError';
  }
}
