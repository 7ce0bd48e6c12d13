/** The one error format of the api: a stable machine code, a sentence for people, and details. */
export interface ErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}
