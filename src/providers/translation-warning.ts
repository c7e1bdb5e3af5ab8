/** A parameter that was dropped or changed instead of passed on; surfaced in a header and the request log. */
export interface TranslationWarning {
  param: string;
  message: string;
}
